package dev.banter.spi.testkit;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatStream;
import dev.banter.api.ModelInfo;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Capability;
import dev.banter.spi.Setting;
import java.util.List;

/**
 * Backend {@code down}: its server is unreachable, so every call fails with a retryable
 * {@link BackendUnavailableException} before the first token. For tests of retries, fallbacks
 * and what observers see of them.
 *
 * <pre>{@code
 * Banter.builder().backend("down").provider(new DownBackendProvider())
 *     .provider(new ElizaProvider()).fallback("eliza", Map.of()).build();
 * }</pre>
 */
public final class DownBackendProvider implements BackendProvider {
  public static final String ID = "down";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String description() {
    return "a backend whose server never answers (tests)";
  }

  @Override
  public List<Setting> settings() {
    return List.of();
  }

  @Override
  public Backend create(BackendConfig config) {
    return new Backend() {
      @Override
      public String id() {
        return ID;
      }

      @Override
      public BackendCapabilities capabilities() {
        return BackendCapabilities.of(Capability.STREAMING);
      }

      @Override
      public ChatStream stream(ChatRequest request) {
        throw new BackendUnavailableException("connection refused by 127.0.0.1:9", ID, null);
      }

      @Override
      public List<ModelInfo> models() {
        throw new BackendUnavailableException("connection refused by 127.0.0.1:9", ID, null);
      }
    };
  }
}

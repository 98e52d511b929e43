package dev.banter.openai;

import dev.banter.openai.testing.OpenAiCompatibleBackendContract;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.Capability;
import java.util.Map;
import java.util.OptionalInt;

/** The shared contract against the plain OpenAI dialect, straight on {@link OpenAiBackend}. */
class OpenAiBackendTest extends OpenAiCompatibleBackendContract {
  @Override
  protected Backend create(Map<String, String> settings) {
    BackendConfig config = BackendConfig.builder("wire-test").setAll(settings).environment(name -> null).build();
    OptionalInt contextLength = OpenAiBackend.contextLength(config);
    OpenAiClient client = OpenAiClient.builder("wire-test").configure(config)
        .apiKey(config.secret("api-key").orElseThrow()).dialect(Dialect.OPENAI).build();
    return OpenAiBackend.builder(client)
        .capabilities(BackendCapabilities.of(contextLength, Capability.STREAMING, Capability.TOOLS)).build();
  }
}

package dev.banter.openai.platform;

import dev.banter.api.ConfigurationException;
import dev.banter.openai.Dialect;
import dev.banter.openai.Endpoint;
import dev.banter.openai.OpenAiBackend;
import dev.banter.openai.OpenAiClient;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Capability;
import dev.banter.spi.Setting;
import dev.banter.spi.Secret;
import java.util.OptionalInt;
import java.util.List;

/**
 * The {@code openai} backend: OpenAI's Chat Completions API. Settings: {@code api-key} (or the
 * environment variable {@code OPENAI_API_KEY}), {@code model} (for example {@code gpt-4o};
 * required unless each request names one), {@code organization} and {@code project} (sent as
 * {@code OpenAI-Organization} and {@code OpenAI-Project}), {@code base-url} (default
 * {@code https://api.openai.com/v1}) and the client's timeouts. The token limit goes out as
 * {@code max_completion_tokens}; the sampling fields OpenAI does not know (top-k, min-p,
 * repetition penalty) are left out. Thread-safe.
 *
 * <pre>{@code
 * Backend gpt = new OpenAiProvider().create(BackendConfig.builder("openai").set("model", "gpt-4o").build());
 * System.out.println(gpt.chat(ChatRequest.of("Hi")).text());
 * }</pre>
 */
public final class OpenAiProvider implements BackendProvider {
  private static final List<Setting> SETTINGS = OpenAiClient.settingsWith(
      Setting.of("organization", "sent as the OpenAI-Organization header"),
      Setting.of("project", "sent as the OpenAI-Project header"));

  /** Where OpenAI's API lives. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** The provider {@link java.util.ServiceLoader} instantiates. */
  public OpenAiProvider() {}

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public String id() {
    return "openai";
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String description() {
    return "OpenAI's Chat Completions API (api.openai.com)";
  }

  /**
   * @throws ConfigurationException when no API key is set, or a setting is invalid
   */
  @Override
  public Backend create(BackendConfig config) {
    // The steps every provider of an OpenAI-compatible API takes, with OpenAI's own URL, key and dialect:
    // such a provider is only these values (ARCHITECTURE.md), the protocol is openai-wire's.
    Secret key = config.secret("api-key", "OPENAI_API_KEY").orElseThrow(() -> new ConfigurationException(
        "Backend 'openai' needs an API key: set the environment variable OPENAI_API_KEY, or the setting 'api-key'"
            + " (system property " + config.propertyName("api-key") + ").", "backend openai", "api-key", null));
    OptionalInt contextLength = OpenAiBackend.contextLength(config);
    OpenAiClient.Builder b = OpenAiClient.builder(id())
        .endpoint(Endpoint.parse(DEFAULT_BASE_URL))
        .configure(config)
        .apiKey(key)
        .dialect(Dialect.OPENAI)
        .authHint("Check OPENAI_API_KEY (or the 'api-key' setting), and 'organization'/'project' if set.");
    config.get("organization").ifPresent(v -> b.header("OpenAI-Organization", v));
    config.get("project").ifPresent(v -> b.header("OpenAI-Project", v));
    return OpenAiBackend.builder(b.build())
        .capabilities(BackendCapabilities.of(contextLength, Capability.STREAMING,
            Capability.TOOLS, Capability.JSON_OBJECT, Capability.JSON_SCHEMA, Capability.SEED,
            Capability.STOP_SEQUENCES, Capability.LOGPROBS))
        .build();
  }
}

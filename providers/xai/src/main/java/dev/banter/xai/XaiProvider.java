package dev.banter.xai;

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
 * The {@code xai} backend: xAI's Grok API over its OpenAI-compatible chat endpoint. Settings:
 * {@code api-key} (or the environment variable {@code XAI_API_KEY}), {@code model} (for example
 * {@code grok-4}; required unless each request names one), {@code base-url} (default
 * {@code https://api.x.ai/v1}) and the client's timeouts. Reasoning text
 * ({@code reasoning_content}) streams as reasoning chunks apart from the answer; reasoning tokens
 * are counted in {@code Usage.reasoningTokens()} and, unlike xAI's own
 * {@code completion_tokens}, included in {@code Usage.completionTokens()}. Thread-safe.
 *
 * <pre>{@code
 * Backend grok = new XaiProvider().create(BackendConfig.builder("xai").set("model", "grok-4").build());
 * System.out.println(grok.chat(ChatRequest.of("Tell me a joke.")).text());
 * }</pre>
 */
public final class XaiProvider implements BackendProvider {
  /** Where xAI's API lives. */
  public static final String DEFAULT_BASE_URL = "https://api.x.ai/v1";

  /** The provider {@link java.util.ServiceLoader} instantiates. */
  public XaiProvider() {}

  @Override
  public List<Setting> settings() {
    return OpenAiClient.SETTINGS;
  }

  @Override
  public String id() {
    return "xai";
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String description() {
    return "xAI's Grok API (api.x.ai)";
  }

  /**
   * @throws ConfigurationException when no API key is set, or a setting is invalid
   */
  @Override
  public Backend create(BackendConfig config) {
    // The steps every provider of an OpenAI-compatible API takes, with xAI's own URL, key and dialect:
    // such a provider is only these values (ARCHITECTURE.md), the protocol is openai-wire's.
    Secret key = config.secret("api-key", "XAI_API_KEY").orElseThrow(() -> new ConfigurationException(
        "Backend 'xai' needs an API key: set the environment variable XAI_API_KEY, or the setting 'api-key'"
            + " (system property " + config.propertyName("api-key") + "). Keys are at https://console.x.ai.",
        "backend xai", "api-key", null));
    OptionalInt contextLength = OpenAiBackend.contextLength(config);
    OpenAiClient client = OpenAiClient.builder(id())
        .endpoint(Endpoint.parse(DEFAULT_BASE_URL))
        .configure(config)
        .apiKey(key)
        .dialect(Dialect.XAI)
        .authHint("Check XAI_API_KEY (or the 'api-key' setting); keys are at https://console.x.ai.")
        .build();
    return OpenAiBackend.builder(client)
        .capabilities(BackendCapabilities.of(contextLength, Capability.STREAMING,
            Capability.TOOLS, Capability.JSON_OBJECT, Capability.JSON_SCHEMA, Capability.REASONING,
            Capability.STOP_SEQUENCES, Capability.LOGPROBS))
        .build();
  }
}

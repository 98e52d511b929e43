package dev.banter.inferenceserver;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The {@code inference-server} backend: one or several OpenAI-compatible GPU servers (vLLM,
 * llama.cpp server, TGI, SGLang, Ollama) behind one backend. Requests are balanced over the
 * endpoints (fewest outstanding requests); each endpoint is health-checked ({@code GET /health},
 * else {@code GET /v1/models}) and left out while it fails; a request that fails before any
 * part of its answer reached the caller (connection refused or reset, 5xx, 429, no first byte in
 * time) is tried once on each other endpoint. Retries with backoff on the same endpoint are
 * core's business, not this backend's. Thread-safe.
 *
 * <p>Settings: {@code endpoints} (comma-separated base URLs, such as
 * {@code http://gpu1:8000/v1,http://gpu2:8000/v1}) or {@code base-url}; {@code model} (default:
 * the first model the servers list); {@code api-key} (servers started with {@code --api-key});
 * {@code health-interval} (default 5s, 0 turns checks off), {@code health-timeout} (2s);
 * {@code context-length}; and the client's {@code connect-timeout}, {@code first-byte-timeout},
 * {@code idle-timeout}, {@code max-event-size}, {@code max-connections}, {@code event-loops}.
 * The extra sampling fields {@code top_k}, {@code min_p} and {@code repetition_penalty} are sent.
 *
 * <pre>{@code
 * Backend gpus = new InferenceServerProvider().create(BackendConfig.builder("inference-server")
 *     .set("endpoints", "http://gpu1:8000/v1,http://gpu2:8000/v1").build());
 * System.out.println(gpus.chat(ChatRequest.of("Hi")).text());
 * }</pre>
 */
public final class InferenceServerProvider implements BackendProvider {
  private static final List<Setting> SETTINGS = OpenAiClient.settingsWith(
      Setting.of("endpoints", "comma-separated base URLs of the servers (or one 'base-url')"),
      Setting.of("health-interval", "how often each endpoint is checked; 0 turns checks off (default 5s)"),
      Setting.of("health-timeout", "how long a health check may take (default 2s)"));

  /** The provider {@link java.util.ServiceLoader} instantiates. */
  public InferenceServerProvider() {}

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public String id() {
    return "inference-server";
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String description() {
    return "OpenAI-compatible GPU inference servers (vLLM, llama.cpp, TGI, SGLang, Ollama), balanced and health-checked";
  }

  /**
   * @throws ConfigurationException when neither {@code endpoints} nor {@code base-url} is set, or
   *     a setting is invalid
   */
  @Override
  public Backend create(BackendConfig config) {
    // The steps every provider of an OpenAI-compatible API takes, with the servers' own URL, key and dialect:
    // such a provider is only these values (ARCHITECTURE.md), the protocol is openai-wire's.
    List<Endpoint> endpoints = new ArrayList<>();
    List<String> urls = config.getList("endpoints");
    String key = "endpoints";
    if (urls.isEmpty() && config.get("base-url").isPresent()) {
      urls = List.of(config.get("base-url").get());
      key = "base-url";
    }
    if (urls.isEmpty()) {
      throw new ConfigurationException("Backend 'inference-server' needs the setting 'endpoints' (comma-separated"
          + " base URLs such as http://gpu1:8000/v1,http://gpu2:8000/v1) or 'base-url'.", "backend inference-server",
          "endpoints", null);
    }
    for (String url : urls) {
      Endpoint e = OpenAiClient.Builder.parseEndpoint(config, key, url);
      if (!endpoints.contains(e)) {
        endpoints.add(e);
      }
    }
    Duration interval = config.getDuration("health-interval", Duration.ofSeconds(5));
    Duration timeout = config.getDuration("health-timeout", Duration.ofSeconds(2));
    if (timeout.isZero()) {
      throw new ConfigurationException("Backend 'inference-server': setting 'health-timeout' must be positive.",
          "backend inference-server", "health-timeout", null);
    }
    OptionalInt contextLength = OpenAiBackend.contextLength(config);
    EndpointPool pool = new EndpointPool(id(), endpoints);
    OpenAiClient.Builder b = OpenAiClient.builder(id())
        .configure(config)
        .endpoints(pool)
        .dialect(Dialect.SELF_HOSTED)
        .authHint("Check the 'api-key' setting against the key the server was started with (--api-key).");
    config.secret("api-key").ifPresent(b::apiKey);
    OpenAiClient client = b.build();
    pool.start(client, interval, timeout);
    return OpenAiBackend.builder(client)
        .discoverModel(true)
        .capabilities(BackendCapabilities.of(contextLength, Capability.STREAMING,
            Capability.TOOLS, Capability.JSON_OBJECT, Capability.JSON_SCHEMA, Capability.REASONING, Capability.SEED,
            Capability.STOP_SEQUENCES, Capability.LOGPROBS))
        .onClose(pool::stop)
        .build();
  }
}

package dev.banter.openai;

import dev.banter.api.BanterException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ConfigurationException;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.Capability;
import dev.banter.spi.ChatStreamEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link Backend} that speaks the OpenAI chat protocol through an {@link OpenAiClient}: what the
 * {@code inference-server}, {@code xai} and {@code openai} providers hand out, each with its own
 * endpoints, key and {@link Dialect}. When neither the request nor the configuration names a
 * model and discovery is on, the first model the server lists is used (looked up once, when the
 * backend is created, and again only after a failed lookup). Thread-safe.
 *
 * <pre>{@code
 * Backend b = OpenAiBackend.builder(client).discoverModel(true)
 *     .capabilities(BackendCapabilities.of(Capability.STREAMING, Capability.TOOLS)).build();
 * ChatResponse r = b.chat(ChatRequest.of("Hi"));
 * b.close();
 * }</pre>
 */
public final class OpenAiBackend implements Backend {
  private final OpenAiClient client;
  private final BackendCapabilities capabilities;
  private final boolean discoverModel;
  private final List<Runnable> onClose;
  private volatile CompletableFuture<String> discovered;

  private OpenAiBackend(Builder b) {
    this.client = b.client;
    this.capabilities = b.capabilities;
    this.discoverModel = b.discoverModel;
    this.onClose = new ArrayList<>(b.onClose);
    if (discoverModel && !client.model().isPresent()) {
      discovered = discover();
    }
  }

  /** A builder for a backend over {@code client}; the backend owns the client and closes it. */
  public static Builder builder(OpenAiClient client) {
    return new Builder(client);
  }

  @Override
  public String id() {
    return client.backendId();
  }

  @Override
  public BackendCapabilities capabilities() {
    return capabilities;
  }

  /**
   * The {@code context-length} setting: the model's context window in tokens, when set.
   * Providers read it before they open a client, so a bad value leaves nothing running.
   *
   * @throws ConfigurationException when it is not a whole number of at least 1
   */
  public static OptionalInt contextLength(BackendConfig config) {
    if (!config.get("context-length").isPresent()) {
      return OptionalInt.empty();
    }
    int n = config.getInt("context-length", 0);
    if (n < 1) {
      throw new ConfigurationException("Backend '" + config.backendId() + "': setting 'context-length' must be"
          + " the model's context window in tokens (at least 1), got " + n + ".", "backend " + config.backendId(),
          "context-length", null);
    }
    return OptionalInt.of(n);
  }

  /** The client requests go through. */
  public OpenAiClient client() {
    return client;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return client.chat(withModel(request));
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    ChatRequest r = withModel(request);
    return client.stream(r, ChatStreamEmitter.create(id(), r.model().orElse("")));
  }

  @Override
  public OptionalInt countTokens(List<Message> messages) {
    return OptionalInt.empty();
  }

  @Override
  public List<ModelInfo> models() {
    return client.models();
  }

  /**
   * The model a request without one goes to: the configured one, or the discovered one.
   *
   * @throws BanterException when discovery is needed and fails (the next call tries again)
   */
  public String defaultModel() {
    if (client.model().isPresent()) {
      return client.model().get();
    }
    if (!discoverModel) {
      throw new ConfigurationException("Backend '" + id() + "' needs the setting 'model' (or a model in each"
          + " request); the models it lists can be seen with models().", "backend " + id(), "model", null);
    }
    CompletableFuture<String> d = discovered;
    if (d == null || (d.isDone() && d.isCompletedExceptionally())) {
      d = discover();
      discovered = d;
    }
    try {
      return d.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof BanterException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private CompletableFuture<String> discover() {
    return client.modelsAsync().thenApply(models -> {
      if (models.isEmpty()) {
        throw new ConfigurationException("Backend '" + id() + "' lists no model at " + client.endpoints().all()
            + "; set the 'model' setting.", "backend " + id(), "model", null);
      }
      return models.get(0).id();
    });
  }

  private ChatRequest withModel(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    return request.model().isPresent() ? request : request.toBuilder().model(defaultModel()).build();
  }

  @Override
  public void close() {
    for (Runnable r : onClose) {
      r.run();
    }
    onClose.clear();
    client.close();
  }

  @Override
  public String toString() {
    return "OpenAiBackend{" + client + '}';
  }

  /** Collects a backend's settings. Not thread-safe. */
  public static final class Builder {
    private final OpenAiClient client;
    private BackendCapabilities capabilities = BackendCapabilities.of(Capability.STREAMING, Capability.TOOLS,
        Capability.JSON_OBJECT, Capability.JSON_SCHEMA, Capability.STOP_SEQUENCES);
    private boolean discoverModel;
    private final List<Runnable> onClose = new ArrayList<>();

    private Builder(OpenAiClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    public Builder capabilities(BackendCapabilities capabilities) {
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
      return this;
    }

    /** Whether to use the first listed model when none is configured; off by default. */
    public Builder discoverModel(boolean discover) {
      this.discoverModel = discover;
      return this;
    }

    /** Runs {@code action} when the backend closes, before the client closes. */
    public Builder onClose(Runnable action) {
      onClose.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    public OpenAiBackend build() {
      return new OpenAiBackend(this);
    }
  }
}

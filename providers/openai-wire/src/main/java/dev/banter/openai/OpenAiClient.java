package dev.banter.openai;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ConfigurationException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ModelInfo;
import dev.banter.api.ProtocolException;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.Setting;
import dev.banter.spi.ChatStreamEmitter;
import dev.banter.spi.Secret;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A client for the OpenAI chat protocol over Vert.x's HTTP client: pooled keep-alive
 * connections, TLS for {@code https}, connect / first-byte / idle timeouts, SSE streaming with
 * backpressure, and failover between the endpoints of an {@link EndpointSelector} before any
 * part of an answer reached the caller. Errors arrive as the api's {@link BanterException}
 * subtypes; the API key never appears in a message, a log line or {@link #toString()}. The
 * client does not retry on its own beyond that failover: retries with backoff are core's job.
 * Thread-safe; share one per backend.
 *
 * <pre>{@code
 * OpenAiClient client = OpenAiClient.builder("xai")
 *     .endpoint(Endpoint.parse("https://api.x.ai/v1")).apiKey(key).dialect(Dialect.XAI)
 *     .model("grok-4").build();
 * ChatResponse r = client.chat(ChatRequest.of("Hi"));
 * client.close();
 * }</pre>
 */
public final class OpenAiClient implements AutoCloseable {
  /**
   * The settings {@link Builder#configure(BackendConfig)} and {@link OpenAiBackend#contextLength}
   * read, for the providers' {@code settings()}.
   */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("base-url", "the API's base URL, ending in /v1"),
      Setting.of("model", "the model requests go to unless they name one"),
      Setting.of("api-key", "the bearer key (kept secret)"),
      Setting.of("context-length", "the model's context window in tokens (default: unknown, 4096 assumed)"),
      Setting.of("connect-timeout", "how long a connection may take (default 10s)"),
      Setting.of("first-byte-timeout", "how long the first byte of an answer may take (default 120s)"),
      Setting.of("idle-timeout", "how long a stream may stay silent (default 60s)"),
      Setting.of("max-event-size", "the largest server-sent event accepted, in bytes (default 8 MiB)"),
      Setting.of("max-answer-size", "the longest answer accepted, in characters (default 64 Mi)"),
      Setting.of("max-connections", "connections per endpoint (default 128)"),
      Setting.of("event-loops", "Vert.x event-loop threads (default 2, at most the cores)"));

  /** {@link #SETTINGS} and a provider's own. */
  public static List<Setting> settingsWith(Setting... own) {
    List<Setting> all = new ArrayList<>(SETTINGS);
    all.addAll(List.of(own));
    return List.copyOf(all);
  }

  /** The largest event or answer accepted by default: 8 MiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 8 << 20;
  /** The default longest streamed answer, in characters (text, reasoning and tool arguments together). */
  public static final long DEFAULT_MAX_ANSWER_CHARS = 64L << 20;

  private final String backendId;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final HttpClientAgent http;
  private final EndpointSelector endpoints;
  private final Secret apiKey;
  private final Map<String, String> headers;
  private final Dialect dialect;
  private final String model;
  private final Duration connectTimeout;
  private final Duration firstByteTimeout;
  private final Duration idleTimeout;
  private final int maxEventBytes;
  private final long maxAnswerChars;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Redactor redactor;
  private final ErrorMapper errors;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OpenAiClient(Builder b) {
    this.backendId = b.backendId;
    this.endpoints = b.endpoints;
    this.apiKey = b.apiKey;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.dialect = b.dialect;
    this.model = b.model;
    this.connectTimeout = b.connectTimeout;
    this.firstByteTimeout = b.firstByteTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxEventBytes = b.maxEventBytes;
    this.maxAnswerChars = b.maxAnswerChars;
    this.clock = b.clock;
    this.nanoTime = b.nanoTime;
    this.redactor = new Redactor(apiKey);
    this.errors = new ErrorMapper(backendId, b.authHint, redactor);
    this.ownsVertx = b.vertx == null;
    this.vertx = b.vertx != null ? b.vertx : Vertx.vertx(new VertxOptions().setEventLoopPoolSize(b.eventLoops)
        .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setTcpNoDelay(true)
        .setForceSni(true)
        .setVerifyHost(true);
    this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(b.maxConnections));
  }

  /** A builder for a client of backend {@code backendId} (used in messages and exceptions). */
  public static Builder builder(String backendId) {
    return new Builder(backendId);
  }

  /** The id of the backend this client serves. */
  public String backendId() {
    return backendId;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The Vert.x instance the client runs on (its own, or the one given to the builder). */
  public Vertx vertx() {
    return vertx;
  }

  /** The endpoints requests go to. */
  public EndpointSelector endpoints() {
    return endpoints;
  }

  /** The model used when a request names none; empty when none was configured. */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /**
   * Answers a request, blocking until the whole answer is there.
   *
   * @throws IllegalStateException when called on a Vert.x event-loop thread (use {@link #chatAsync})
   * @throws BanterException the subtype for what failed
   */
  public ChatResponse chat(ChatRequest request) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("OpenAiClient.chat blocks; on a Vert.x event loop use chatAsync instead");
    }
    try {
      return chatAsync(request).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof BanterException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Answers a request without blocking. Cancelling the returned future closes the connection.
   *
   * @throws InvalidRequestException at once when the request has no model and the client none
   */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    String m = modelFor(request);
    Buffer body = Buffer.buffer(Json.write(WireMapping.toWire(request, m, dialect, false, backendId)));
    CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    Exchange.startChat(this, checkedContext(), body, m, result);
    return result;
  }

  /**
   * Streams an answer. Failures (also connection failures) arrive through the stream;
   * {@link ChatStream#cancel()} closes the connection and completes the stream with the partial
   * answer.
   *
   * @throws InvalidRequestException at once when the request has no model and the client none
   */
  public ChatStream stream(ChatRequest request) {
    return stream(request, ChatStreamEmitter.create(backendId, modelFor(request)));
  }

  /**
   * Streams an answer into {@code emitter}, for callers that create the emitter themselves (to
   * choose its clock or buffer size); the client is the emitter's producer.
   */
  public ChatStream stream(ChatRequest request, ChatStreamEmitter emitter) {
    Objects.requireNonNull(emitter, "emitter");
    String m = modelFor(request);
    Buffer body = Buffer.buffer(Json.write(WireMapping.toWire(request, m, dialect, true, backendId)));
    Exchange.startStream(this, checkedContext(), body, m, emitter);
    return emitter.handle();
  }

  /**
   * The models of the first endpoint that answers {@code GET <base>/models}.
   *
   * @throws BanterException when no endpoint answers
   */
  public List<ModelInfo> models() {
    try {
      return modelsAsync().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof BanterException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** {@link #models()} without blocking. */
  public CompletableFuture<List<ModelInfo>> modelsAsync() {
    CompletableFuture<List<ModelInfo>> out = new CompletableFuture<>();
    Context ctx = checkedContext();
    ctx.runOnContext(v -> listModels(new HashSet<>(), null, out));
    return out;
  }

  private void listModels(Set<Endpoint> tried, BanterException last, CompletableFuture<List<ModelInfo>> out) {
    Optional<Endpoint> next = endpoints.acquire(tried);
    if (!next.isPresent()) {
      out.completeExceptionally(last != null ? last : new BackendUnavailableException("Backend '" + backendId
          + "' has no endpoint to list models from.", backendId, null));
      return;
    }
    Endpoint e = next.get();
    tried.add(e);
    get(e, e.path("/models"), firstByteTimeout).onComplete(ar -> {
      BanterException failure;
      if (ar.failed()) {
        endpoints.release(e, false);
        failure = Transport.map(ar.cause(), backendId, e.toString(), "while listing models", connectTimeout);
      } else if (ar.result().status() != 200) {
        endpoints.release(e, ar.result().status() != 503);
        failure = errors.fromResponse(ar.result().status(), ar.result().body(), null, e.toString());
      } else {
        endpoints.release(e, true);
        try {
          out.complete(parseModels(ar.result().body(), e));
          return;
        } catch (BanterException ex) {
          failure = ex;
        }
      }
      if (failure.retryable() && tried.size() < endpoints.all().size()) {
        listModels(tried, failure, out);
      } else {
        out.completeExceptionally(failure);
      }
    });
  }

  private List<ModelInfo> parseModels(String body, Endpoint e) {
    WireModels list;
    try {
      list = Json.read(body, WireModels.class);
    } catch (IOException ex) {
      throw new ProtocolException("Backend '" + backendId + "': the model list from " + e + " is not valid JSON: "
          + Json.excerpt(redact(body), 200), backendId, ex);
    }
    List<ModelInfo> out = new ArrayList<>();
    if (list.data != null) {
      for (WireModels.Model m : list.data) {
        if (m == null || m.id == null || m.id.isEmpty()) {
          continue;
        }
        String owner = m.ownedBy == null ? "" : m.ownedBy;
        int ctx = m.maxModelLen != null ? m.maxModelLen : m.meta != null && m.meta.nCtxTrain != null ? m.meta.nCtxTrain : 0;
        out.add(ctx > 0 ? ModelInfo.of(m.id, owner, ctx) : ModelInfo.of(m.id, owner));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Asks one endpoint whether it can serve: {@code GET /health} answering 200 means yes, 503
   * (llama.cpp and vLLM while loading) means no; a server without that route (Ollama) is asked
   * {@code GET <base>/models} instead. Never fails: a connection failure means no.
   */
  public CompletableFuture<Boolean> probe(Endpoint endpoint, Duration timeout) {
    CompletableFuture<Boolean> out = new CompletableFuture<>();
    Context ctx = checkedContext();
    ctx.runOnContext(v -> get(endpoint, endpoint.healthPath(), timeout).onComplete(ar -> {
      if (ar.failed()) {
        out.complete(false);
      } else if (ar.result().status() == 200) {
        out.complete(true);
      } else if (ar.result().status() >= 500) {
        out.complete(false);
      } else {
        get(endpoint, endpoint.path("/models"), timeout).onComplete(m -> out.complete(m.succeeded()
            && m.result().status() == 200));
      }
    }));
    return out;
  }

  /** A status and a body of a small GET. */
  private record Reply(int status, String body) {}

  private Future<Reply> get(Endpoint e, String path, Duration timeout) {
    RequestOptions o = requestOptions(e, HttpMethod.GET, path).setIdleTimeout(timeout.toMillis())
        .putHeader("Accept", "application/json");
    return http.request(o)
        .compose(req -> req.send())
        .compose(resp -> Transport.body(resp, maxEventBytes, null).map(b -> new Reply(resp.statusCode(), b.toString())));
  }

  // ---------------------------------------------------------------- for Exchange

  RequestOptions requestOptions(Endpoint e, HttpMethod method, String path) {
    RequestOptions o = new RequestOptions()
        .setMethod(method)
        .setHost(e.host())
        .setPort(e.port())
        .setSsl(e.tls())
        .setURI(path)
        .setConnectTimeout(connectTimeout.toMillis())
        .putHeader("User-Agent", "banter");
    if (apiKey != null) {
      o.putHeader("Authorization", "Bearer " + apiKey.reveal());
    }
    headers.forEach(o::putHeader);
    return o;
  }

  HttpClientAgent http() {
    return http;
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  Duration firstByteTimeout() {
    return firstByteTimeout;
  }

  Duration idleTimeout() {
    return idleTimeout;
  }

  long maxAnswerChars() {
    return maxAnswerChars;
  }

  int maxEventBytes() {
    return maxEventBytes;
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  ErrorMapper errors() {
    return errors;
  }

  String redact(String text) {
    return redactor.apply(text);
  }

  java.time.Duration retryAfter(HttpClientResponse response) {
    return RetryAfter.parse(response.getHeader("retry-after-ms"), response.getHeader("Retry-After"), clock);
  }

  private String modelFor(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed.get()) {
      throw new IllegalStateException("the client of backend '" + backendId + "' is closed");
    }
    String m = request.model().orElse(model);
    if (m == null || m.isEmpty()) {
      throw new InvalidRequestException("Backend '" + backendId + "' needs a model name: set the 'model' setting or"
          + " ChatRequest.builder().model(...).", backendId, "model", null);
    }
    return m;
  }

  private Context checkedContext() {
    if (closed.get()) {
      throw new IllegalStateException("the client of backend '" + backendId + "' is closed");
    }
    return vertx.getOrCreateContext();
  }

  /** Closes the connections, and the Vert.x instance when the client created it. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      http.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing is best effort
    }
    if (ownsVertx) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // as above
      }
    }
  }

  @Override
  public String toString() {
    return "OpenAiClient{" + backendId + ", " + endpoints.all() + ", " + dialect
        + (apiKey == null ? "" : ", apiKey=****") + '}';
  }

  /**
   * Collects a client's settings; {@link #build()} checks them. Not thread-safe.
   *
   * <pre>{@code
   * OpenAiClient c = OpenAiClient.builder("openai").configure(config)
   *     .apiKey(config.secret("api-key", "OPENAI_API_KEY").orElseThrow()).build();
   * }</pre>
   */
  public static final class Builder {
    private final String backendId;
    private EndpointSelector endpoints;
    private Secret apiKey;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Dialect dialect = Dialect.SELF_HOSTED;
    private String model;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration firstByteTimeout = Duration.ofSeconds(120);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    private long maxAnswerChars = DEFAULT_MAX_ANSWER_CHARS;
    private int maxConnections = 128;
    private int eventLoops = Math.min(2, Runtime.getRuntime().availableProcessors());
    private String authHint = "Check the 'api-key' setting.";
    private Vertx vertx;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(String backendId) {
      this.backendId = Objects.requireNonNull(backendId, "backendId");
    }

    /**
     * Reads the common settings: {@code base-url}, {@code model}, {@code connect-timeout},
     * {@code first-byte-timeout}, {@code idle-timeout}, {@code max-event-size} (bytes),
     * {@code max-answer-size} (characters of one streamed answer), {@code max-connections} (per
     * endpoint) and {@code event-loops}. Unset ones keep their value.
     *
     * @throws ConfigurationException naming a setting whose value is invalid
     */
    public Builder configure(BackendConfig config) {
      Optional<String> url = config.get("base-url");
      if (url.isPresent()) {
        endpoint(parseEndpoint(config, "base-url", url.get()));
      }
      config.get("model").ifPresent(this::model);
      connectTimeout(positive(config, "connect-timeout", config.getDuration("connect-timeout", connectTimeout)));
      firstByteTimeout(positive(config, "first-byte-timeout", config.getDuration("first-byte-timeout", firstByteTimeout)));
      idleTimeout(positive(config, "idle-timeout", config.getDuration("idle-timeout", idleTimeout)));
      int max = config.getInt("max-event-size", maxEventBytes);
      int conns = config.getInt("max-connections", maxConnections);
      int loops = config.getInt("event-loops", eventLoops);
      if (max < 1024 || conns < 1 || loops < 1) {
        String key = max < 1024 ? "max-event-size" : conns < 1 ? "max-connections" : "event-loops";
        throw new ConfigurationException("Backend '" + config.backendId() + "': setting '" + key + "' is too small"
            + (max < 1024 ? " (at least 1024 bytes)." : " (at least 1)."), "backend " + config.backendId(), key, null);
      }
      long answer = config.getDouble("max-answer-size", maxAnswerChars) >= 1024
          ? (long) config.getDouble("max-answer-size", maxAnswerChars) : -1;
      if (answer < 0) {
        throw new ConfigurationException("Backend '" + config.backendId() + "': setting 'max-answer-size' is too small"
            + " (at least 1024 characters).", "backend " + config.backendId(), "max-answer-size", null);
      }
      maxEventBytes = max;
      maxAnswerChars = answer;
      maxConnections = conns;
      eventLoops = loops;
      return this;
    }

    /**
     * Parses an endpoint URL from a setting.
     *
     * @throws ConfigurationException naming the setting
     */
    public static Endpoint parseEndpoint(BackendConfig config, String key, String url) {
      try {
        return Endpoint.parse(url);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("Backend '" + config.backendId() + "': setting '" + key + "' is "
            + e.getMessage(), "backend " + config.backendId(), key, e);
      }
    }

    private static Duration positive(BackendConfig config, String key, Duration d) {
      if (d.isZero() || d.isNegative()) {
        throw new ConfigurationException("Backend '" + config.backendId() + "': setting '" + key
            + "' must be a positive duration such as 30s.", "backend " + config.backendId(), key, null);
      }
      return d;
    }

    /** Sends every request to this one server. */
    public Builder endpoint(Endpoint endpoint) {
      this.endpoints = EndpointSelector.single(endpoint);
      return this;
    }

    /** Spreads requests over several servers. */
    public Builder endpoints(EndpointSelector endpoints) {
      this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
      return this;
    }

    /** Sends {@code Authorization: Bearer <key>} with every request. */
    public Builder apiKey(Secret apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /** Adds a header to every request (for example {@code OpenAI-Organization}); not for secrets. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /** The model used when a request names none. */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** How long connecting may take; default 10 s. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = requirePositive(d, "connectTimeout");
      return this;
    }

    /** How long the first byte of the response may take (a whole non-streamed answer); default 120 s. */
    public Builder firstByteTimeout(Duration d) {
      this.firstByteTimeout = requirePositive(d, "firstByteTimeout");
      return this;
    }

    /** How long the response may stay silent once it started; default 60 s. */
    public Builder idleTimeout(Duration d) {
      this.idleTimeout = requirePositive(d, "idleTimeout");
      return this;
    }

    /** The largest SSE event, or non-streamed answer, accepted; default 8 MiB. */
    public Builder maxEventBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxEventBytes must be >= 1024, got " + bytes);
      }
      this.maxEventBytes = bytes;
      return this;
    }

    /**
     * The longest streamed answer accepted, in characters of text, reasoning and tool arguments
     * together; a stream beyond it fails with a {@link dev.banter.api.ProtocolException}, so an
     * endless stream cannot exhaust memory. Default 64 Mi characters.
     */
    public Builder maxAnswerChars(long chars) {
      if (chars < 1024) {
        throw new IllegalArgumentException("maxAnswerChars must be >= 1024, got " + chars);
      }
      this.maxAnswerChars = chars;
      return this;
    }

    /** The most pooled connections per endpoint; default 128. */
    public Builder maxConnections(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConnections must be >= 1, got " + n);
      }
      this.maxConnections = n;
      return this;
    }

    /** Event-loop threads of the client's own Vert.x instance; default min(2, cores). */
    public Builder eventLoops(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("eventLoops must be >= 1, got " + n);
      }
      this.eventLoops = n;
      return this;
    }

    /** What to tell a user whose key was refused, for example "Set XAI_API_KEY." */
    public Builder authHint(String hint) {
      this.authHint = Objects.requireNonNull(hint, "hint");
      return this;
    }

    /** Runs on a shared Vert.x instance, which {@link OpenAiClient#close()} leaves open. */
    public Builder vertx(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      return this;
    }

    /** The clock that reads {@code Retry-After} dates; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private static Duration requirePositive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    /**
     * @throws ConfigurationException when no endpoint was given
     */
    public OpenAiClient build() {
      if (endpoints == null) {
        throw new ConfigurationException("Backend '" + backendId + "' needs the setting 'base-url' (for example"
            + " http://localhost:8000/v1).", "backend " + backendId, "base-url", null);
      }
      return new OpenAiClient(this);
    }

    @Override
    public String toString() {
      return "OpenAiClient.Builder{" + backendId + (apiKey == null ? "" : ", apiKey=****") + '}';
    }
  }
}

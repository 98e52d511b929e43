package dev.banter.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ModelInfo;
import dev.banter.spi.LoadReporting;
import dev.banter.spi.Secret;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves any {@link ChatModel} over the OpenAI protocol: {@code POST /v1/chat/completions}
 * (whole answers and SSE streams), {@code POST /v1/responses} (the Responses API, whole or as
 * its event stream, on the same generation path), {@code GET} and {@code DELETE
 * /v1/responses/{id}} (responses kept in a bounded in-memory store, which also serves
 * {@code previous_response_id}), {@code GET /v1/models}, {@code GET /v1/models/{id}} and {@code GET /health}, and the
 * server's metrics in the Prometheus text format on {@code GET /metrics} (requests by status,
 * tokens, time to first token and per output token, requests in flight, and slots, queue and KV
 * cache of a model that is {@link LoadReporting}). Errors are
 * OpenAI error objects with the matching status: 400 (also {@code context_length_exceeded} with
 * param {@code messages}), 401 for a missing or wrong bearer key, 404 for an unknown model (param
 * {@code model}), 413 for an oversize body, 429 with {@code Retry-After} when the concurrency
 * limit is reached or the model is rate limited, 503 when it is unavailable, 500 otherwise. A
 * stream commits its 200 only with its first chunk; a client that disconnects cancels it. The
 * model's blocking calls run on Vert.x worker threads (or the given executor), never on the
 * event loop. Thread-safe; one instance serves every connection.
 *
 * <pre>{@code
 * OpenAiServerHandler handler = OpenAiServerHandler.builder(chatModel)
 *     .apiKey(Secret.of(System.getenv("BANTER_SERVE_KEY"))).maxConcurrentRequests(32).build();
 * vertx.createHttpServer().requestHandler(handler).listen(8080, "127.0.0.1")
 *     .toCompletionStage().toCompletableFuture().join();
 * }</pre>
 */
public final class OpenAiServerHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = Logger.getLogger(OpenAiServerHandler.class.getName());
  /** How long the model list used to check request model names is reused. */
  private static final long MODELS_TTL_NANOS = 30_000_000_000L;

  private final ChatModel model;
  private final Secret apiKey;
  private final long maxBodyBytes;
  private final Duration bodyTimeout;
  private final int maxConcurrentRequests;
  private final Duration retryAfter;
  private final String ownedBy;
  private final Clock clock;
  private final Executor executor;
  private final boolean metricsEnabled;
  /** Browser origins allowed to call the API ({@code *} for any); empty: no CORS headers at all. */
  private final java.util.Set<String> corsOrigins;
  private final ServerMetrics metrics = new ServerMetrics();
  private final ResponseStore responses;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile List<ModelInfo> knownModels;
  private volatile long knownModelsAt;

  private OpenAiServerHandler(Builder b) {
    this.model = b.model;
    this.apiKey = b.apiKey;
    this.maxBodyBytes = b.maxBodyBytes;
    this.bodyTimeout = b.bodyTimeout;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.retryAfter = b.retryAfter;
    this.ownedBy = b.ownedBy;
    this.clock = b.clock;
    this.executor = b.executor;
    this.metricsEnabled = b.metrics;
    this.corsOrigins = java.util.Set.copyOf(b.corsOrigins);
    this.responses = new ResponseStore(b.responseStoreBytes);
  }

  /** A builder for a handler serving {@code model}. */
  public static Builder builder(ChatModel model) {
    return new Builder(model);
  }

  /** Generation requests (chat completions and responses) being served right now. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void handle(HttpServerRequest request) {
    try {
      route(request);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a request failed unexpectedly: " + request.method() + " " + request.path(), e);
      sendError(request.response(), new ServerError(500, "api_error", null, null, "The server failed on this request ("
          + e.getClass().getSimpleName() + "); see its log.", null));
    }
  }

  private void route(HttpServerRequest request) {
    String path = request.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String route = path.startsWith(MODEL_PREFIX) ? MODEL_PREFIX + "{id}"
        : path.startsWith(RESPONSE_PREFIX) ? RESPONSE_PREFIX + "{id}" : path;
    HttpServerResponse response = request.response();
    response.headersEndHandler(v -> metrics.responded(route, response.getStatusCode()));
    if (cors(request) && request.method().equals(HttpMethod.OPTIONS)) {
      return;
    }
    switch (path) {
      case "/health" -> {
        if (request.method().equals(HttpMethod.HEAD)) {
          request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end();
        } else if (allowed(request, HttpMethod.GET)) {
          sendJson(request.response(), 200, Json.object().put("status", "ok"));
        }
      }
      case "/v1/models" -> {
        if (allowed(request, HttpMethod.GET) && authorized(request)) {
          listModels(request);
        }
      }
      case "/v1/chat/completions" -> {
        if (allowed(request, HttpMethod.POST) && authorized(request)) {
          admit(request, this::answer);
        }
      }
      case "/v1/responses" -> {
        if (allowed(request, HttpMethod.POST) && authorized(request)) {
          admit(request, this::respond);
        }
      }
      case "/metrics" -> {
        if (!metricsEnabled) {
          unknownRoute(request, path);
        } else if (allowed(request, HttpMethod.GET) && authorized(request)) {
          String text = metrics.scrape(inFlight.get(), maxConcurrentRequests,
              model instanceof LoadReporting reporting ? reporting.load() : Optional.empty());
          response.setStatusCode(200).putHeader("Content-Type", PrometheusText.CONTENT_TYPE).end(text);
        }
      }
      default -> {
        if (path.startsWith(MODEL_PREFIX) && path.length() > MODEL_PREFIX.length()) {
          if (allowed(request, HttpMethod.GET) && authorized(request)) {
            retrieveModel(request, percentDecoded(path.substring(MODEL_PREFIX.length())));
          }
        } else if (path.startsWith(RESPONSE_PREFIX) && path.length() > RESPONSE_PREFIX.length()) {
          if (allowedGetOrDelete(request) && authorized(request)) {
            storedResponse(request, percentDecoded(path.substring(RESPONSE_PREFIX.length())));
          }
        } else {
          unknownRoute(request, path);
        }
      }
    }
  }

  /**
   * Adds the CORS headers when the request's {@code Origin} is allowed, and answers a preflight
   * ({@code OPTIONS} with {@code Access-Control-Request-Method}); returns whether it did so.
   */
  private boolean cors(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (corsOrigins.isEmpty() || origin == null
        || !(corsOrigins.contains("*") || corsOrigins.contains(origin))) {
      return false;
    }
    HttpServerResponse response = request.response();
    response.putHeader("Access-Control-Allow-Origin", corsOrigins.contains("*") ? "*" : origin);
    response.putHeader("Vary", "Origin");
    if (request.method().equals(HttpMethod.OPTIONS) && request.getHeader("Access-Control-Request-Method") != null) {
      String headers = request.getHeader("Access-Control-Request-Headers");
      response.setStatusCode(204)
          .putHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
          .putHeader("Access-Control-Allow-Headers",
              headers != null ? Json.excerpt(headers, 500) : "Authorization, Content-Type")
          .putHeader("Access-Control-Max-Age", "600")
          .end();
      return true;
    }
    return false;
  }

  /** Model ids such as {@code Org/Repo:Q8_0} arrive percent-encoded by most clients ({@code %2F}). */
  private static String percentDecoded(String raw) {
    return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code GET /v1/models/{id}}: the model's card, or OpenAI's 404 {@code model_not_found}. */
  private void retrieveModel(HttpServerRequest request, String id) {
    Context ctx = Vertx.currentContext();
    blocking(ctx, model::models).onComplete(ar -> {
      if (ar.failed()) {
        sendError(request.response(), toServerError(ar.cause()));
        return;
      }
      for (ModelInfo m : ar.result()) {
        if (m.id().equals(id)) {
          sendJson(request.response(), 200, ServerResponses.model(m, ownedBy));
          return;
        }
      }
      sendError(request.response(), new ServerError(404, "invalid_request_error", "model", "model_not_found",
          "The model '" + Json.excerpt(id, 200) + "' does not exist; GET /v1/models lists the ones served here.",
          null));
    });
  }

  private static final String MODEL_PREFIX = "/v1/models/";
  private static final String RESPONSE_PREFIX = "/v1/responses/";

  private void unknownRoute(HttpServerRequest request, String path) {
    sendError(request.response(), new ServerError(404, "not_found_error", null, null,
        "Unknown route " + request.method() + " " + Json.excerpt(path, 100)
            + "; this server offers POST /v1/chat/completions, POST /v1/responses, GET|DELETE /v1/responses/{id},"
            + " GET /v1/models, GET /v1/models/{id}, GET /health"
            + (metricsEnabled ? " and GET /metrics." : "."), null));
  }

  private boolean allowed(HttpServerRequest request, HttpMethod method) {
    if (request.method().equals(method)) {
      return true;
    }
    request.response().putHeader("Allow", method.name());
    sendError(request.response(), new ServerError(405, "invalid_request_error", null, null,
        "Use " + method.name() + " for " + request.path() + ".", null));
    return false;
  }

  private boolean allowedGetOrDelete(HttpServerRequest request) {
    if (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.DELETE)) {
      return true;
    }
    request.response().putHeader("Allow", "GET, DELETE");
    sendError(request.response(), new ServerError(405, "invalid_request_error", null, null,
        "Use GET or DELETE for " + request.path() + ".", null));
    return false;
  }

  private boolean authorized(HttpServerRequest request) {
    if (apiKey == null) {
      return true;
    }
    String header = request.getHeader("Authorization");
    String token = null;
    if (header != null && header.length() > 7 && header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      token = header.substring(7).trim();
    }
    if (apiKey.matches(token)) {
      return true;
    }
    request.response().putHeader("WWW-Authenticate", "Bearer");
    sendError(request.response(), new ServerError(401, "authentication_error", null, "invalid_api_key",
        header == null ? "Missing API key. Send it as 'Authorization: Bearer <key>'."
            : "Incorrect API key provided. Send the server's key as 'Authorization: Bearer <key>'.", null));
    return false;
  }

  private void listModels(HttpServerRequest request) {
    Context ctx = Vertx.currentContext();
    blocking(ctx, model::models).onComplete(ar -> {
      if (ar.succeeded()) {
        sendJson(request.response(), 200, ServerResponses.models(ar.result(), ownedBy));
      } else {
        sendError(request.response(), toServerError(ar.cause()));
      }
    });
  }

  // ---------------------------------------------------------------- chat completions

  /** What is done with a generation request's body once it has arrived whole. */
  private interface Answer {
    void answer(HttpServerRequest request, Buffer body, Slot slot);
  }

  /**
   * Admits a generation request ({@code /v1/chat/completions} or {@code /v1/responses}) under
   * the concurrency limit, reads its body within the size and time limits, then answers it.
   */
  private void admit(HttpServerRequest request, Answer answer) {
    HttpServerResponse response = request.response();
    if (inFlight.incrementAndGet() > maxConcurrentRequests) {
      inFlight.decrementAndGet();
      response.putHeader("Connection", "close");
      sendError(response, new ServerError(429, "rate_limit_error", null, "rate_limit_exceeded",
          "This server is busy: " + maxConcurrentRequests + " requests are being served. Retry after "
              + RetryAfter.header(retryAfter) + " s.", retryAfter));
      return;
    }
    Slot slot = new Slot();
    response.endHandler(v -> slot.responseEnded());
    response.closeHandler(v -> slot.clientGone());
    String length = request.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          tooLarge(response);
          return;
        }
      } catch (NumberFormatException e) {
        sendError(response, ServerError.invalid("Content-Length is not a number.", null));
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    // A client that sends headers and then stalls must not hold a concurrency slot for ever.
    Vertx vertx = Vertx.currentContext() == null ? null : Vertx.currentContext().owner();
    long timer = vertx == null ? -1 : vertx.setTimer(Math.max(1, bodyTimeout.toMillis()), id -> {
      if (!refused[0] && !response.ended() && !response.closed()) {
        refused[0] = true;
        response.putHeader("Connection", "close");
        sendError(response, new ServerError(408, "invalid_request_error", null, "request_timeout",
            "The request body did not arrive within " + bodyTimeout.toMillis() + " ms.", null));
      }
    });
    request.handler(b -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + (long) b.length() > maxBodyBytes) {
        refused[0] = true;
        tooLarge(response);
        return;
      }
      body.appendBuffer(b);
    });
    request.exceptionHandler(t -> slot.clientGone());
    request.endHandler(v -> {
      if (vertx != null) {
        vertx.cancelTimer(timer);
      }
      if (!refused[0] && !response.ended() && !response.closed()) {
        answer.answer(request, body, slot);
      }
    });
  }

  /**
   * One chat completion's hold on the concurrency limit. It is given back when the answer's
   * generation has ended — not merely when the client went away, since the model may still be
   * working then; a client that goes cancels the generation, and the slot frees when it stops.
   * Without a generation (a refused or malformed request) it is given back with the response.
   */
  private final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile ChatStream generation;
    private volatile boolean clientGone;

    /** The answer is being generated by {@code s}; the slot is held until it ends. */
    void generating(ChatStream s) {
      generation = s;
      s.completion().whenComplete((r, e) -> release());
      if (clientGone) {
        s.cancel();
      }
    }

    void responseEnded() {
      if (generation == null) {
        release();
      }
    }

    void clientGone() {
      clientGone = true;
      ChatStream s = generation;
      if (s != null) {
        s.cancel();
      } else {
        release();
      }
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    }
  }

  private void tooLarge(HttpServerResponse response) {
    response.putHeader("Connection", "close");
    sendError(response, new ServerError(413, "invalid_request_error", null, "request_too_large",
        "The request body is larger than " + maxBodyBytes + " bytes.", null));
  }

  private void answer(HttpServerRequest request, Buffer body, Slot slot) {
    HttpServerResponse response = request.response();
    WireRequest w;
    ChatRequest chatRequest;
    try {
      w = Json.read(body.getBytes(), WireRequest.class);
      if (w == null) {
        throw ServerError.invalid("The request body is empty; send a JSON object.", null);
      }
      chatRequest = ServerRequestMapper.toChatRequest(w);
    } catch (IOException e) {
      sendError(response, ServerError.invalid("The request body is not valid JSON for a chat completion: "
          + Json.excerpt(String.valueOf(e.getMessage()), 200), null));
      return;
    } catch (ServerError e) {
      sendError(response, e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a chat completion request could not be read", e);
      sendError(response, new ServerError(500, "api_error", null, null, "The server could not read this request ("
          + e.getClass().getSimpleName() + "); see its log.", null));
      return;
    }
    boolean streaming = Boolean.TRUE.equals(w.stream);
    boolean includeUsage = w.streamOptions != null && Boolean.TRUE.equals(w.streamOptions.includeUsage);
    String requested = chatRequest.model().orElse("");
    ServerMetrics.Meter meter = metrics.meter(System.nanoTime());
    String id = "chatcmpl-" + WireMapping.newToolCallId().substring(5);
    long created = clock.instant().getEpochSecond();
    Context ctx = Vertx.currentContext();
    // Whole answers are generated as streams too, so that a client who leaves cancels the work.
    blocking(ctx, () -> {
      checkModel(requested);
      return new Started(model.stream(chatRequest), requested.isEmpty() ? servedModelId() : requested);
    }).onComplete(ar -> {
      if (ar.failed()) {
        sendError(response, toServerError(ar.cause()));
        return;
      }
      ChatStream s = ar.result().stream();
      String served = ar.result().modelId();
      slot.generating(s);
      s.completion().whenComplete((r, error) -> meter.ended(r));
      if (streaming) {
        s.subscribe(meter.wrap(new SseResponder(ctx, response,
            SseResponder.chatCompletions(id, created, served, includeUsage), this::sendError)));
        return;
      }
      s.subscribe(meter.wrap(ChatListener.of(chunk -> { }, error -> { })));
      s.completion().whenComplete((r, error) -> ctx.runOnContext(v -> {
        if (error != null) {
          sendError(response, toServerError(error));
        } else {
          sendJson(response, 200, ServerResponses.completion(r, id, created, r.model().orElse(served)));
        }
      }));
    });
  }

  // ---------------------------------------------------------------- responses

  /** {@code POST /v1/responses}: the Responses API over the same generation path as a chat completion. */
  private void respond(HttpServerRequest request, Buffer body, Slot slot) {
    HttpServerResponse response = request.response();
    WireResponsesRequest w;
    ResponsesRequestMapper.Mapped mapped;
    try {
      w = Json.read(body.getBytes(), WireResponsesRequest.class);
      if (w == null) {
        throw ServerError.invalid("The request body is empty; send a JSON object.", null);
      }
      mapped = ResponsesRequestMapper.toChatRequest(w, history(w.previousResponseId));
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      sendError(response, ServerError.invalid("The request body does not fit a response request: "
          + Json.excerpt(e.getOriginalMessage(), 200), wirePath(e)));
      return;
    } catch (IOException e) {
      sendError(response, ServerError.invalid("The request body is not valid JSON: "
          + Json.excerpt(String.valueOf(e.getMessage()), 200), null));
      return;
    } catch (ServerError e) {
      sendError(response, e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a response request could not be read", e);
      sendError(response, new ServerError(500, "api_error", null, null, "The server could not read this request ("
          + e.getClass().getSimpleName() + "); see its log.", null));
      return;
    }
    ChatRequest chatRequest = mapped.request();
    boolean streaming = Boolean.TRUE.equals(w.stream);
    boolean store = responses.enabled() && !Boolean.FALSE.equals(w.store);
    String requested = chatRequest.model().orElse("");
    ServerMetrics.Meter meter = metrics.meter(System.nanoTime());
    long created = clock.instant().getEpochSecond();
    Context ctx = Vertx.currentContext();
    blocking(ctx, () -> {
      checkModel(requested);
      return new Started(model.stream(chatRequest), requested.isEmpty() ? servedModelId() : requested);
    }).onComplete(ar -> {
      if (ar.failed()) {
        sendError(response, toServerError(ar.cause()));
        return;
      }
      ChatStream s = ar.result().stream();
      ResponseEvents events = new ResponseEvents(ResponseEvents.newId("resp_"), created, ar.result().modelId(),
          ResponseEvents.echo(w, store));
      java.util.function.Consumer<ResponseEvents> keep = e -> {
        if (store) {
          List<dev.banter.api.Message> conversation = new java.util.ArrayList<>(mapped.conversation());
          conversation.add(e.assistantMessage());
          e.finalResponse().ifPresent(json -> responses.put(e.id(), json, conversation));
        }
      };
      slot.generating(s);
      s.completion().whenComplete((r, error) -> meter.ended(r));
      if (streaming) {
        s.subscribe(meter.wrap(new SseResponder(ctx, response, SseResponder.responses(events, keep),
            this::sendError)));
        return;
      }
      s.subscribe(meter.wrap(ChatListener.of(chunk -> { }, error -> { })));
      s.completion().whenComplete((r, error) -> ctx.runOnContext(v -> {
        if (error != null) {
          sendError(response, toServerError(error));
          return;
        }
        ObjectNode json = events.whole(r);
        keep.accept(events);
        sendJson(response, 200, json);
      }));
    });
  }

  /** The conversation a {@code previous_response_id} continues, or a 400 naming it. */
  private List<dev.banter.api.Message> history(String previousResponseId) {
    if (previousResponseId == null || previousResponseId.isEmpty()) {
      return List.of();
    }
    if (!responses.enabled()) {
      throw ServerError.invalid("This server keeps no responses, so 'previous_response_id' cannot be continued;"
          + " send the earlier turns as input items instead.", "previous_response_id");
    }
    return responses.get(previousResponseId).map(ResponseStore.Stored::conversation).orElseThrow(() ->
        ServerError.invalid("Previous response with id '" + Json.excerpt(previousResponseId, 100) + "' not found."
            + " Responses are kept in memory only while there is room, and not when sent with store=false;"
            + " send the earlier turns as input items instead.", "previous_response_id"));
  }

  /** {@code GET} or {@code DELETE /v1/responses/{id}}: a kept response, or 404. */
  private void storedResponse(HttpServerRequest request, String id) {
    HttpServerResponse response = request.response();
    boolean delete = request.method().equals(HttpMethod.DELETE);
    boolean found = delete ? responses.remove(id) : responses.get(id).map(s -> {
      sendJson(response, 200, s.response());
      return true;
    }).orElse(false);
    if (!found) {
      sendError(response, new ServerError(404, "invalid_request_error", null, "not_found",
          "No response with id '" + Json.excerpt(id, 100) + "' is kept here"
              + (responses.enabled() ? " (responses are kept in memory while there is room, and not with store=false)."
                  : "; this server keeps no responses."), null));
    } else if (delete) {
      sendJson(response, 200, Json.object().put("id", id).put("object", "response").put("deleted", true));
    }
  }

  /** The JSON path of a mapping failure in wire form: {@code input[2].content}. */
  private static String wirePath(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private void checkModel(String requested) {
    if (requested.isEmpty()) {
      return;
    }
    List<ModelInfo> models = knownModels;
    long now = System.nanoTime();
    if (models == null || now - knownModelsAt > MODELS_TTL_NANOS) {
      try {
        models = model.models();
      } catch (BanterException e) {
        // The list comes from the primary backend; when it is down, a fallback may still answer,
        // so the request goes on and an unknown name is left for the model to refuse.
        LOG.log(Level.FINE, "cannot list the models to check '" + Json.excerpt(requested, 100) + "': "
            + e.getMessage());
        return;
      }
      knownModels = models;
      knownModelsAt = now;
    }
    if (models.isEmpty()) {
      return;
    }
    StringBuilder known = new StringBuilder();
    for (ModelInfo m : models) {
      if (m.id().equals(requested)) {
        return;
      }
      known.append(known.length() == 0 ? "" : ", ").append(m.id());
    }
    throw new ServerError(404, "invalid_request_error", "model", "model_not_found", "The model `"
        + Json.excerpt(requested, 100) + "` does not exist. Available: " + known + ".", null);
  }

  /** A started generation and the model id its chunks carry. */
  private record Started(ChatStream stream, String modelId) {}

  /**
   * The id of the model a request that names none is served by: the primary backend's first
   * model (the list {@link #checkModel} caches), or {@code banter} when the list is unavailable.
   */
  private String servedModelId() {
    List<ModelInfo> models = knownModels;
    if (models == null || System.nanoTime() - knownModelsAt > MODELS_TTL_NANOS) {
      try {
        models = model.models();
        knownModels = models;
        knownModelsAt = System.nanoTime();
      } catch (BanterException e) {
        return "banter";
      }
    }
    return models.isEmpty() ? "banter" : models.get(0).id();
  }

  private ServerError toServerError(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof ServerError error) {
      return error;
    }
    if (cause instanceof BanterException exception) {
      return ServerError.of(exception);
    }
    LOG.log(Level.WARNING, "the model failed unexpectedly", cause);
    return new ServerError(500, "api_error", null, null, "The server failed to answer ("
        + cause.getClass().getSimpleName() + "); see its log.", null);
  }

  private <T> Future<T> blocking(Context ctx, Callable<T> work) {
    if (executor == null) {
      return ctx.owner().executeBlocking(work, false);
    }
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T value = work.call();
          ctx.runOnContext(v -> promise.complete(value));
        } catch (Throwable e) {
          ctx.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(new BackendUnavailableException("This server's executor refused the request (" + e.getMessage()
          + "); it is overloaded or shutting down. Retry later.", null, e));
    }
    return promise.future();
  }

  // ---------------------------------------------------------------- writing

  private void sendJson(HttpServerResponse response, int status, ObjectNode json) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.write(json)));
  }

  private void sendError(HttpServerResponse response, ServerError e) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    if (e.retryAfter != null) {
      response.putHeader("Retry-After", RetryAfter.header(e.retryAfter));
    }
    sendJson(response, e.status, e.body());
  }

  @Override
  public String toString() {
    return "OpenAiServerHandler{maxConcurrent=" + maxConcurrentRequests + ", maxBody=" + maxBodyBytes
        + (apiKey == null ? "" : ", apiKey=****") + '}';
  }

  /** Collects the handler's settings. Not thread-safe. */
  public static final class Builder {
    private final ChatModel model;
    private Secret apiKey;
    private long maxBodyBytes = 4 << 20;
    private Duration bodyTimeout = Duration.ofSeconds(30);
    private int maxConcurrentRequests = 64;
    private Duration retryAfter = Duration.ofSeconds(1);
    private String ownedBy = "banter";
    private Clock clock = Clock.systemUTC();
    private Executor executor;
    private boolean metrics = true;
    private long responseStoreBytes = 16L << 20;
    private final java.util.Set<String> corsOrigins = new java.util.LinkedHashSet<>();

    private Builder(ChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Requires {@code Authorization: Bearer <key>} on {@code /v1/*} and {@code /metrics} (give
     * Prometheus the key as its {@code bearer_token}), compared in constant time.
     */
    public Builder apiKey(Secret key) {
      this.apiKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /** The largest request body accepted (413 beyond); default 4 MiB. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be >= 1024, got " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How long a request body may take to arrive (408 beyond); default 30 s. */
    public Builder bodyTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("bodyTimeout must be > 0, got " + timeout);
      }
      this.bodyTimeout = timeout;
      return this;
    }

    /** The most chat completions served at once (429 beyond); default 64. */
    public Builder maxConcurrentRequests(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrentRequests must be >= 1, got " + n);
      }
      this.maxConcurrentRequests = n;
      return this;
    }

    /** The {@code Retry-After} sent with a 429 for the concurrency limit; default 1 s. */
    public Builder retryAfter(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("retryAfter must be >= 0, got " + wait);
      }
      this.retryAfter = wait;
      return this;
    }

    /** The {@code owned_by} of listed models that name no owner; default {@code banter}. */
    public Builder ownedBy(String owner) {
      this.ownedBy = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /** The clock for {@code created} timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs the model's blocking calls here instead of on Vert.x's worker pool. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Lets web pages from {@code origin} ({@code https://app.example.com}, or {@code *} for any)
     * call the API from a browser: preflight {@code OPTIONS} requests are answered and responses
     * carry {@code Access-Control-Allow-Origin}. Off unless called; repeatable.
     */
    public Builder corsOrigin(String origin) {
      Objects.requireNonNull(origin, "origin");
      if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException("a CORS origin is * or scheme://host[:port], got '" + origin + "'");
      }
      corsOrigins.add(origin);
      return this;
    }

    /**
     * How many bytes (estimated) of responses are kept in memory for {@code GET /v1/responses/{id}}
     * and {@code previous_response_id}, least recently used evicted first; default 16 MiB. 0
     * keeps none: {@code previous_response_id} is then refused with a 400.
     */
    public Builder responseStoreBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("responseStoreBytes must be >= 0, got " + bytes);
      }
      this.responseStoreBytes = bytes;
      return this;
    }

    /** Whether {@code GET /metrics} answers (default) or is an unknown route. */
    public Builder metrics(boolean enabled) {
      this.metrics = enabled;
      return this;
    }

    public OpenAiServerHandler build() {
      return new OpenAiServerHandler(this);
    }
  }
}

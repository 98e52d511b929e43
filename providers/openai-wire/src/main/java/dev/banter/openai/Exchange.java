package dev.banter.openai;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationTimeoutException;
import dev.banter.api.ProtocolException;
import dev.banter.api.Timings;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import dev.banter.spi.ChatStreamEmitter;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One chat call from start to end: picks an endpoint, sends, reads the answer (whole or as SSE),
 * and fails over to another endpoint when an attempt fails retryably before any part of the
 * answer reached the caller. Every callback runs on one Vert.x context, so the state needs no
 * locks. One timer per attempt watches the time to the first byte and then the silence between
 * reads; a consumer that is slow (the emitter not writable) pauses the response and the timer.
 */
final class Exchange {
  private static final Logger LOG = Logger.getLogger(Exchange.class.getName());
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final OpenAiClient client;
  private final Context context;
  private final Buffer body;
  private final String model;
  private final ChatStreamEmitter emitter;
  private final CompletableFuture<ChatResponse> result;
  private final Set<Endpoint> tried = new HashSet<>();
  private final long startNanos;
  private long firstChunkNanos = -1;
  private boolean finished;
  private boolean cancelled;
  private Attempt current;

  private Exchange(OpenAiClient client, Context context, Buffer body, String model, ChatStreamEmitter emitter,
      CompletableFuture<ChatResponse> result) {
    this.client = client;
    this.context = context;
    this.body = body;
    this.model = model;
    this.emitter = emitter;
    this.result = result;
    this.startNanos = client.nanoTime();
  }

  static void startStream(OpenAiClient client, Context context, Buffer body, String model, ChatStreamEmitter emitter) {
    Exchange x = new Exchange(client, context, body, model, emitter, null);
    emitter.onCancel(() -> context.runOnContext(v -> x.cancel()));
    context.runOnContext(v -> x.nextAttempt(null));
  }

  static void startChat(OpenAiClient client, Context context, Buffer body, String model,
      CompletableFuture<ChatResponse> result) {
    Exchange x = new Exchange(client, context, body, model, null, result);
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        context.runOnContext(v -> x.cancel());
      }
    });
    context.runOnContext(v -> x.nextAttempt(null));
  }

  private boolean streaming() {
    return emitter != null;
  }

  private boolean anyEmitted() {
    return firstChunkNanos >= 0;
  }

  /** The state of one try against one endpoint. */
  private final class Attempt {
    final Endpoint endpoint;
    final String where;
    HttpClientRequest request;
    HttpClientResponse response;
    boolean over;
    boolean responseRead;
    boolean released;
    boolean gotBytes;
    boolean paused;
    long deadline;
    Duration limit;
    long timerId = -1;
    long firesAt;
    SseParser parser;
    StreamAccumulator accumulator;

    Attempt(Endpoint endpoint) {
      this.endpoint = endpoint;
      this.where = endpoint.toString();
    }

    void release(boolean reachable) {
      if (!released) {
        released = true;
        client.endpoints().release(endpoint, reachable);
      }
    }

    void arm(Duration d) {
      limit = d;
      deadline = client.nanoTime() + d.toNanos();
      if (timerId < 0) {
        schedule(d.toMillis());
      }
    }

    void touch() {
      gotBytes = true;
      limit = client.idleTimeout();
      deadline = client.nanoTime() + limit.toNanos();
      // The first-byte timer may run out later than this idle deadline; the silence must be
      // noticed at the deadline, not then. Later reads only move the deadline further out.
      if (timerId >= 0 && deadline < firesAt) {
        stopTimer();
        schedule(limit.toMillis());
      }
    }

    void schedule(long millis) {
      long delay = Math.max(1, millis);
      firesAt = client.nanoTime() + delay * 1_000_000L;
      timerId = client.vertx().setTimer(delay, id -> onTimer(this));
    }

    void stopTimer() {
      if (timerId >= 0) {
        client.vertx().cancelTimer(timerId);
        timerId = -1;
      }
    }

    /** Ends the attempt; the connection is closed unless its response was read to the end. */
    void abort() {
      over = true;
      stopTimer();
      if (request != null && !responseRead) {
        request.reset();
      }
    }
  }

  // ---------------------------------------------------------------- attempts

  private void nextAttempt(BanterException lastError) {
    if (finished) {
      return;
    }
    if (cancelled) {
      finishCancelled(null);
      return;
    }
    Optional<Endpoint> next = client.endpoints().acquire(tried);
    if (!next.isPresent()) {
      finishError(lastError != null ? lastError : new BackendUnavailableException("Backend '" + client.backendId()
          + "' has no endpoint to send the request to.", client.backendId(), null));
      return;
    }
    Attempt a = new Attempt(next.get());
    tried.add(a.endpoint);
    current = a;
    a.arm(client.firstByteTimeout());
    RequestOptions options = client.requestOptions(a.endpoint, HttpMethod.POST, a.endpoint.path("/chat/completions"))
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", streaming() ? "text/event-stream" : "application/json");
    client.http().request(options).onComplete(ar -> {
      if (a.over) {
        if (ar.succeeded()) {
          ar.result().reset();
        }
        return;
      }
      if (ar.failed()) {
        attemptFailed(a, Transport.map(ar.cause(), client.backendId(), a.where, "before the response",
            client.connectTimeout()), false);
        return;
      }
      a.request = ar.result();
      a.request.send(body).onComplete(rr -> {
        if (a.over) {
          return;
        }
        if (rr.failed()) {
          attemptFailed(a, Transport.map(rr.cause(), client.backendId(), a.where, "before the response",
              client.connectTimeout()), false);
          return;
        }
        onResponse(a, rr.result());
      });
    });
  }

  private void attemptFailed(Attempt a, BanterException error, boolean reachable) {
    if (a.over) {
      return;
    }
    a.abort();
    a.release(reachable);
    if (finished) {
      return;
    }
    if (cancelled) {
      finishCancelled(a);
      return;
    }
    if (error.retryable() && !anyEmitted() && tried.size() < client.endpoints().all().size()) {
      LOG.log(Level.FINE, () -> "backend " + client.backendId() + ": attempt on " + a.where + " failed ("
          + error.getClass().getSimpleName() + "); trying another endpoint");
      nextAttempt(error);
      return;
    }
    LOG.log(Level.FINE, () -> "backend " + client.backendId() + ": request to " + a.where + " failed: "
        + error.getMessage());
    finishError(error);
  }

  private void onTimer(Attempt a) {
    a.timerId = -1;
    if (a.over) {
      return;
    }
    long now = client.nanoTime();
    if (a.paused) {
      a.deadline = now + client.idleTimeout().toNanos();
      a.schedule(client.idleTimeout().toMillis());
      return;
    }
    long left = a.deadline - now;
    if (left > 0) {
      a.schedule((left + 999_999) / 1_000_000);
      return;
    }
    GenerationTimeoutException.Phase phase =
        anyEmitted() ? GenerationTimeoutException.Phase.BETWEEN_TOKENS : GenerationTimeoutException.Phase.FIRST_TOKEN;
    String setting = a.gotBytes ? "idle-timeout" : "first-byte-timeout";
    String msg = a.gotBytes
        ? "Backend '" + client.backendId() + "': " + a.where + " went silent for " + a.limit.toMillis()
            + " ms in the middle of the answer (the '" + setting + "' setting); the connection was closed."
        : "Backend '" + client.backendId() + "': no response from " + a.where + " within " + a.limit.toMillis()
            + " ms (the '" + setting + "' setting); the connection was closed.";
    attemptFailed(a, new GenerationTimeoutException(msg, client.backendId(), phase, a.limit), a.gotBytes);
  }

  // ---------------------------------------------------------------- responses

  private void onResponse(Attempt a, HttpClientResponse response) {
    a.response = response;
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      Transport.body(response, MAX_ERROR_BODY, a::touch).onComplete(ar -> {
        if (a.over) {
          return;
        }
        a.responseRead = ar.succeeded();
        String text = ar.succeeded() ? ar.result().toString() : "";
        BanterException e = client.errors().fromResponse(status, text, client.retryAfter(response), a.where);
        attemptFailed(a, e, status != 503);
      });
      return;
    }
    String type = response.getHeader("Content-Type");
    boolean sse = type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    if (!streaming() || !sse) {
      Transport.body(response, client.maxEventBytes(), a::touch).onComplete(ar -> {
        if (a.over) {
          return;
        }
        if (ar.failed()) {
          failBody(a, ar.cause());
          return;
        }
        a.responseRead = true;
        onWholeAnswer(a, ar.result());
      });
      return;
    }
    a.parser = new SseParser(client.maxEventBytes(), client.backendId(), ev -> onEvent(a, ev));
    a.accumulator = new StreamAccumulator(client.dialect());
    response.handler(b -> onBytes(a, b));
    response.exceptionHandler(t -> {
      if (!a.over) {
        String phase = anyEmitted() ? "in the middle of the answer, after " + a.accumulator.chunks() + " chunks"
            : "before the first token";
        attemptFailed(a, Transport.map(t, client.backendId(), a.where, phase, client.connectTimeout()), false);
      }
    });
    response.endHandler(v -> onEnd(a));
  }

  private void failBody(Attempt a, Throwable t) {
    if (t instanceof Transport.BodyTooLargeException exception) {
      attemptFailed(a, new ProtocolException("Backend '" + client.backendId() + "': the answer from " + a.where
          + " is larger than " + exception.limit + " bytes (the 'max-event-size'"
          + " setting).", client.backendId(), null), true);
    } else {
      attemptFailed(a, Transport.map(t, client.backendId(), a.where, "while reading the answer",
          client.connectTimeout()), false);
    }
  }

  private void onWholeAnswer(Attempt a, Buffer buffer) {
    String text = buffer.toString();
    WireResponse w;
    try {
      w = Json.read(buffer.getBytes(), WireResponse.class);
    } catch (IOException e) {
      attemptFailed(a, new ProtocolException("Backend '" + client.backendId() + "': the answer from " + a.where
          + " is not valid JSON: " + Json.excerpt(client.redact(text), 200), client.backendId(), e), true);
      return;
    }
    if (w.error != null && !w.error.isNull()) {
      attemptFailed(a, client.errors().fromStreamEvent(text, a.where), true);
      return;
    }
    ChatResponse r;
    Duration total = Duration.ofNanos(client.nanoTime() - startNanos);
    try {
      Timings t = WireMapping.timings(total, total, w.timings);
      r = WireMapping.fromWire(w, client.dialect(), model, client.backendId(), t);
    } catch (BanterException e) {
      attemptFailed(a, e, true);
      return;
    } catch (RuntimeException e) {
      attemptFailed(a, new ProtocolException("Backend '" + client.backendId() + "': the answer from " + a.where
          + " cannot be read as a chat completion (" + e.getMessage() + ").", client.backendId(), e), true);
      return;
    }
    a.over = true;
    a.stopTimer();
    a.release(true);
    finished = true;
    if (!streaming()) {
      result.complete(r);
      return;
    }
    List<ToolCallDelta> deltas = new ArrayList<>();
    List<ToolCall> calls = r.message().toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      deltas.add(ToolCallDelta.of(i, calls.get(i)));
    }
    ChatChunk whole = new ChatChunk(r.text(), r.reasoning(), deltas);
    if (!whole.isEmpty()) {
      firstChunkNanos = client.nanoTime();
      emitter.emit(whole);
    }
    end(r.finishReason(), r.usage(), r.timings().orElse(null));
  }

  private void onBytes(Attempt a, Buffer buffer) {
    if (a.over) {
      return;
    }
    a.touch();
    byte[] bytes = buffer.getBytes();
    try {
      a.parser.feed(bytes, 0, bytes.length);
    } catch (BanterException e) {
      attemptFailed(a, e, true);
      return;
    } catch (RuntimeException e) {
      attemptFailed(a, new ProtocolException("Backend '" + client.backendId() + "': a stream from " + a.where
          + " could not be read (" + e + ").", client.backendId(), e), true);
      return;
    }
    if (!a.over && !a.paused && !emitter.isWritable()) {
      a.paused = true;
      a.response.pause();
      emitter.onWritable(() -> context.runOnContext(v -> {
        if (!a.over && a.paused) {
          a.paused = false;
          a.touch();
          a.response.resume();
        }
      }));
    }
  }

  private void onEvent(Attempt a, SseEvent event) {
    if (a.over) {
      return;
    }
    String data = event.data;
    if (data.equals("[DONE]")) {
      completeStream(a);
      return;
    }
    if (data.trim().isEmpty()) {
      return;
    }
    if (event.type.equals("error")) {
      throw client.errors().fromStreamEvent(data.trim().startsWith("{") ? data : "{\"error\":{\"message\":"
          + Json.writeString(data) + "}}", a.where);
    }
    WireResponse chunk;
    try {
      chunk = Json.read(data, WireResponse.class);
    } catch (IOException e) {
      throw new ProtocolException("Backend '" + client.backendId() + "' sent a malformed JSON chunk (event "
          + (a.accumulator.chunks() + 1) + ") from " + a.where + ": " + Json.excerpt(client.redact(data), 200),
          client.backendId(), e);
    }
    if (chunk.error != null && !chunk.error.isNull()) {
      throw client.errors().fromStreamEvent(data, a.where);
    }
    ChatChunk c = a.accumulator.accept(chunk);
    if (a.accumulator.answerChars() > client.maxAnswerChars()) {
      throw new ProtocolException("Backend '" + client.backendId() + "' streamed an answer longer than "
          + client.maxAnswerChars() + " characters (the 'max-answer-size' setting) from " + a.where
          + "; the stream was dropped. Raise the limit if such answers are expected.", client.backendId(), null);
    }
    if (c.isEmpty()) {
      return;
    }
    if (firstChunkNanos < 0) {
      firstChunkNanos = client.nanoTime();
    }
    if (!emitter.emit(c)) {
      cancel();
    }
  }

  private void onEnd(Attempt a) {
    a.responseRead = true;
    if (a.over) {
      return;
    }
    boolean pending = a.parser.hasPending();
    a.parser.end();
    if (a.accumulator.allChoicesFinished()) {
      completeStream(a);
      return;
    }
    attemptFailed(a, new ProtocolException("Backend '" + client.backendId() + "': the stream from " + a.where
        + " ended without [DONE] before the answer finished" + (pending ? " (in the middle of an event)" : "")
        + ", after " + a.accumulator.chunks() + " chunks; the answer may be truncated.", client.backendId(), null),
        true);
  }

  private void completeStream(Attempt a) {
    a.over = true;
    a.stopTimer();
    a.release(true);
    finished = true;
    StreamAccumulator acc = a.accumulator;
    end(acc.finishReason(), acc.usage(), streamTimings(acc));
  }

  /**
   * Ends the stream with the usage the server reported, when it did, and with the timings it
   * reported alongside; without usage the emitter measures the timings itself.
   */
  private void end(FinishReason reason, Optional<Usage> usage, Timings timings) {
    if (usage.isEmpty()) {
      emitter.complete(reason);
    } else if (timings == null) {
      emitter.complete(reason, usage.get());
    } else {
      emitter.complete(reason, usage.get(), timings);
    }
  }

  private Timings streamTimings(StreamAccumulator acc) {
    if (acc == null || acc.timings() == null) {
      return null;
    }
    long now = client.nanoTime();
    long first = firstChunkNanos < 0 ? now : firstChunkNanos;
    return WireMapping.timings(Duration.ofNanos(first - startNanos), Duration.ofNanos(now - startNanos), acc.timings());
  }

  // ---------------------------------------------------------------- endings

  private void cancel() {
    if (finished || cancelled) {
      return;
    }
    cancelled = true;
    Attempt a = current;
    if (a != null && !a.over) {
      a.abort();
      a.release(true);
    }
    finishCancelled(a);
  }

  private void finishCancelled(Attempt a) {
    if (finished) {
      return;
    }
    finished = true;
    if (streaming()) {
      StreamAccumulator acc = a == null ? null : a.accumulator;
      end(FinishReason.CANCELLED, acc == null ? Optional.empty() : acc.usage(), streamTimings(acc));
    } else {
      result.cancel(false);
    }
  }

  private void finishError(BanterException error) {
    if (finished) {
      return;
    }
    finished = true;
    if (streaming()) {
      emitter.fail(error);
    } else {
      result.completeExceptionally(error);
    }
  }
}

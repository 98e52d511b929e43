package dev.banter.samples.webchat;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatSubscription;
import dev.banter.api.FinishReason;
import dev.banter.api.Usage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Writes one answer to the page as server-sent events: {@code delta} (new text), {@code reasoning}
 * (new reasoning text), then exactly one of {@code done} (with the finish reason: {@code stop},
 * {@code length}, {@code cancelled}...) or {@code failure} (with a message). Every event's data is
 * one line of JSON, so no text can break the framing. It asks the stream for one chunk at a time:
 * the next is requested when the socket can take more and, with a pace, not before the pace has
 * passed — a slow page slows the generation instead of piling up text. Callbacks arrive on the
 * model's threads and are moved to the response's event loop.
 *
 * <p>A paced page can lag behind the model: the answer may be complete on the server while the
 * page still shows its beginning. Stopping then drops the pieces not yet sent, and the page is
 * told {@code cancelled}, as it showed the answer cut short.
 */
final class SseListener implements ChatListener {
  private final Vertx vertx;
  private final Context context;
  private final HttpServerResponse response;
  private final Duration pace;
  private final BooleanSupplier stopRequested;
  private final Runnable onEnd;
  private ChatSubscription subscription;
  private long shownChars;

  SseListener(Vertx vertx, Context context, HttpServerResponse response, Duration pace,
      BooleanSupplier stopRequested, Runnable onEnd) {
    this.vertx = vertx;
    this.context = context;
    this.response = response;
    this.pace = pace;
    this.stopRequested = stopRequested;
    this.onEnd = onEnd;
  }

  /** Sends the headers and a first event, so the page knows the answer is on its way. */
  static void open(HttpServerResponse response, String turnId) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-store")
        .putHeader("X-Accel-Buffering", "no");
    write(response, "start", new JsonObject().put("id", turnId));
  }

  /** Ends an answer that produced nothing (stopped before it started, or refused). */
  static void endWith(HttpServerResponse response, String event, JsonObject data) {
    if (!response.closed() && !response.ended()) {
      write(response, event, data);
      response.end();
    }
  }

  static void write(HttpServerResponse response, String event, JsonObject data) {
    response.write("event: " + event + "\ndata: " + data.encode() + "\n\n");
  }

  // One chunk at a time, the demand pattern of the stream's own blocking iterator: the next is
  // asked for only once the browser has taken this one.
  @Override
  public void onSubscribe(ChatSubscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onChunk(ChatChunk chunk) {
    context.runOnContext(v -> {
      if (response.closed() || response.ended()) {
        return;
      }
      if (!chunk.text().isEmpty()) {
        write(response, "delta", new JsonObject().put("text", chunk.text()));
        shownChars += chunk.text().length();
      }
      if (!chunk.reasoning().isEmpty()) {
        write(response, "reasoning", new JsonObject().put("text", chunk.reasoning()));
      }
      askForNext();
    });
  }

  private void askForNext() {
    if (response.writeQueueFull()) {
      response.drainHandler(v -> askForNext());
    } else if (!pace.isZero()) {
      vertx.setTimer(pace.toMillis(), t -> subscription.request(1));
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onComplete(ChatResponse answer) {
    context.runOnContext(v -> {
      FinishReason finish = answer.finishReason();
      if (finish != FinishReason.CANCELLED && stopRequested.getAsBoolean() && shownChars < answer.text().length()) {
        finish = FinishReason.CANCELLED;
      }
      endWith(response, "done", new JsonObject()
          .put("finish", finish.name().toLowerCase(Locale.ROOT))
          .put("completionTokens", answer.usage().map(Usage::completionTokens).orElse(0)));
      onEnd.run();
    });
  }

  @Override
  public void onError(BanterException error) {
    context.runOnContext(v -> {
      endWith(response, "failure", new JsonObject().put("message", error.getMessage()));
      onEnd.run();
    });
  }
}

package dev.banter.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatSubscription;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a {@link dev.banter.api.ChatStream} as a Responses API event stream: {@code event:}
 * and {@code data:} lines per event, from {@code response.created} to
 * {@code response.completed} (or {@code .incomplete}, {@code .failed}), no {@code [DONE]}.
 * As with {@link SseResponder}, the 200 goes out with the first chunk (or the end), so a
 * failure before it still gets a real status, and demand follows the socket.
 */
final class ResponsesSseResponder implements ChatListener {
  private static final int WINDOW = 16;

  private final Context context;
  private final HttpServerResponse response;
  private final ResponseEvents events;
  private final SseResponder.ErrorWriter errors;
  private final Consumer<ResponseEvents> finished;
  private ChatSubscription subscription;
  private boolean started;
  private int owed;

  /** @param finished told, on the response's context, once the last event went out */
  ResponsesSseResponder(Context context, HttpServerResponse response, ResponseEvents events,
      SseResponder.ErrorWriter errors, Consumer<ResponseEvents> finished) {
    this.context = context;
    this.response = response;
    this.events = events;
    this.errors = errors;
    this.finished = finished;
  }

  @Override
  public void onSubscribe(ChatSubscription s) {
    subscription = s;
    s.request(WINDOW);
  }

  @Override
  public void onChunk(ChatChunk chunk) {
    context.runOnContext(v -> {
      if (response.closed() || response.ended()) {
        return;
      }
      start();
      write(events.chunk(chunk));
      if (response.writeQueueFull()) {
        owed++;
        response.drainHandler(x -> {
          int n = owed;
          owed = 0;
          if (n > 0) {
            subscription.request(n);
          }
        });
      } else {
        subscription.request(1);
      }
    });
  }

  @Override
  public void onComplete(ChatResponse r) {
    context.runOnContext(v -> {
      if (response.closed() || response.ended()) {
        return;
      }
      start();
      write(events.finish(r));
      response.end();
      finished.accept(events);
    });
  }

  @Override
  public void onError(BanterException error) {
    context.runOnContext(v -> {
      if (response.closed() || response.ended()) {
        return;
      }
      ServerError e = ServerError.of(error);
      if (!started) {
        errors.write(response, e);
        return;
      }
      write(events.fail(e));
      response.end();
    });
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    write(events.start());
  }

  private void write(List<ObjectNode> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Buffer b = Buffer.buffer(256 * batch.size());
    for (ObjectNode event : batch) {
      b.appendString("event: ").appendString(event.get("type").asText()).appendString("\ndata: ");
      b.appendBytes(Json.write(event));
      b.appendString("\n\n", StandardCharsets.UTF_8.name());
    }
    response.write(b);
  }
}

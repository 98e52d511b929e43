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
 * Writes a {@link dev.banter.api.ChatStream} as server-sent events, in the shape of an
 * {@link Events} (chat completion chunks, or the Responses API's named events). The 200 and the
 * SSE headers go out with the first chunk (or the end), so a failure before it still gets a real
 * status. Demand follows the socket: a full write queue stops asking for chunks until it drains.
 * Callbacks arrive on the model's thread and are moved to the response's event loop.
 */
final class SseResponder implements ChatListener {
  private static final int WINDOW = 16;

  private final Context context;
  private final HttpServerResponse response;
  private final Events events;
  private final ErrorWriter errors;
  private ChatSubscription subscription;
  private boolean started;
  private int owed;

  /** Answers a failure before the headers went out. */
  interface ErrorWriter {
    void write(HttpServerResponse response, ServerError error);
  }

  /** What one endpoint writes at each point of a stream; the events' bytes, ready to send. */
  interface Events {
    Buffer start();

    Buffer chunk(ChatChunk chunk);

    Buffer finish(ChatResponse response);

    Buffer fail(ServerError error);

    /** Told, on the response's context, once the last event went out. */
    default void finished() {}
  }

  SseResponder(Context context, HttpServerResponse response, Events events, ErrorWriter errors) {
    this.context = context;
    this.response = response;
    this.events = events;
    this.errors = errors;
  }

  /** Chat completion chunks: role chunk, deltas, finish chunk, usage chunk when asked for, {@code [DONE]}. */
  static Events chatCompletions(String id, long created, String model, boolean includeUsage) {
    return new Events() {
      @Override
      public Buffer start() {
        return data(ServerResponses.roleChunk(id, created, model));
      }

      @Override
      public Buffer chunk(ChatChunk chunk) {
        return data(ServerResponses.deltaChunk(id, created, model, chunk));
      }

      @Override
      public Buffer finish(ChatResponse r) {
        Buffer b = data(ServerResponses.finishChunk(id, created, model, r.finishReason()));
        if (includeUsage) {
          b.appendBuffer(data(ServerResponses.usageChunk(id, created, model, r.usage())));
        }
        return b.appendString("data: [DONE]\n\n");
      }

      @Override
      public Buffer fail(ServerError error) {
        return data(error.body());
      }
    };
  }

  /**
   * The Responses API's events, {@code event:} and {@code data:} lines from
   * {@code response.created} to {@code response.completed} (or {@code .incomplete},
   * {@code .failed}), no {@code [DONE]}; {@code finished} is told once the last went out.
   */
  static Events responses(ResponseEvents events, Consumer<ResponseEvents> finished) {
    return new Events() {
      @Override
      public Buffer start() {
        return named(events.start());
      }

      @Override
      public Buffer chunk(ChatChunk chunk) {
        return named(events.chunk(chunk));
      }

      @Override
      public Buffer finish(ChatResponse r) {
        return named(events.finish(r));
      }

      @Override
      public Buffer fail(ServerError error) {
        return named(events.fail(error));
      }

      @Override
      public void finished() {
        finished.accept(events);
      }
    };
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
      events.finished();
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

  private void write(Buffer b) {
    if (b.length() > 0) {
      response.write(b);
    }
  }

  private static Buffer data(ObjectNode json) {
    byte[] body = Json.write(json);
    Buffer b = Buffer.buffer(body.length + 8);
    b.appendString("data: ", StandardCharsets.UTF_8.name());
    b.appendBytes(body);
    return b.appendString("\n\n");
  }

  private static Buffer named(List<ObjectNode> batch) {
    Buffer b = Buffer.buffer(256 * batch.size());
    for (ObjectNode event : batch) {
      b.appendString("event: ").appendString(event.get("type").asText()).appendString("\ndata: ");
      b.appendBytes(Json.write(event));
      b.appendString("\n\n", StandardCharsets.UTF_8.name());
    }
    return b;
  }
}

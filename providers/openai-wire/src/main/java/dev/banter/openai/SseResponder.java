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

/**
 * Writes a {@link dev.banter.api.ChatStream} as OpenAI SSE: role chunk, deltas, finish chunk,
 * usage chunk when asked for, {@code [DONE]}. The 200 and the SSE headers go out with the first
 * chunk (or the end), so a failure before it still gets a real status. Demand follows the
 * socket: a full write queue stops asking for chunks until it drains. Callbacks arrive on the
 * model's thread and are moved to the response's event loop.
 */
final class SseResponder implements ChatListener {
  private static final int WINDOW = 16;
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final Context context;
  private final HttpServerResponse response;
  private final String id;
  private final long created;
  private final String model;
  private final boolean includeUsage;
  private final ErrorWriter errors;
  private ChatSubscription subscription;
  private boolean started;
  private int owed;

  /** Answers a failure before the headers went out. */
  interface ErrorWriter {
    void write(HttpServerResponse response, ServerError error);
  }

  SseResponder(Context context, HttpServerResponse response, String id, long created, String model,
      boolean includeUsage, ErrorWriter errors) {
    this.context = context;
    this.response = response;
    this.id = id;
    this.created = created;
    this.model = model;
    this.includeUsage = includeUsage;
    this.errors = errors;
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
      write(ServerResponses.deltaChunk(id, created, model, chunk));
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
      write(ServerResponses.finishChunk(id, created, model, r.finishReason()));
      if (includeUsage) {
        write(ServerResponses.usageChunk(id, created, model, r.usage()));
      }
      response.write(DONE);
      response.end();
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
      write(e.body());
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
    write(ServerResponses.roleChunk(id, created, model));
  }

  private void write(ObjectNode json) {
    byte[] body = Json.write(json);
    Buffer b = Buffer.buffer(body.length + 8);
    b.appendString("data: ", StandardCharsets.UTF_8.name());
    b.appendBytes(body);
    b.appendString("\n\n");
    response.write(b);
  }
}

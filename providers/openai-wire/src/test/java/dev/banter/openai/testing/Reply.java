package dev.banter.openai.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** How the mock server answers one request. */
@FunctionalInterface
public interface Reply {
  void send(HttpServerRequest request, Vertx vertx);

  /** A JSON body with a status and extra headers given as name, value pairs. */
  static Reply json(int status, String body, String... headers) {
    return (req, vertx) -> {
      HttpServerResponse r = req.response().setStatusCode(status).putHeader("Content-Type", "application/json");
      for (int i = 0; i + 1 < headers.length; i += 2) {
        r.putHeader(headers[i], headers[i + 1]);
      }
      r.end(body);
    };
  }

  /** A plain-text body. */
  static Reply text(int status, String body) {
    return (req, vertx) -> req.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(body);
  }

  private static HttpServerResponse sseHead(HttpServerRequest req) {
    return req.response().setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream");
  }

  /** A whole SSE transcript in one write. */
  static Reply sse(String transcript) {
    return (req, vertx) -> sseHead(req).end(transcript);
  }

  /** An SSE body written as these packets, {@code delayMs} apart (0: all at once). */
  static Reply packets(List<byte[]> packets, long delayMs) {
    return (req, vertx) -> {
      HttpServerResponse r = sseHead(req);
      writePackets(vertx, r, packets, 0, delayMs, () -> r.end());
    };
  }

  /** Each event of the transcript as its own packet, {@code delayMs} apart. */
  static Reply eventByEvent(String transcript, long delayMs) {
    List<byte[]> packets = new ArrayList<>();
    for (String e : transcript.split("(?<=\n\n)")) {
      packets.add(e.getBytes(StandardCharsets.UTF_8));
    }
    return packets(packets, delayMs);
  }

  private static void writePackets(Vertx vertx, HttpServerResponse r, List<byte[]> packets, int i, long delayMs,
      Runnable then) {
    if (r.closed()) {
      return;
    }
    if (i == packets.size()) {
      then.run();
      return;
    }
    r.write(Buffer.buffer(packets.get(i)));
    if (delayMs <= 0) {
      writePackets(vertx, r, packets, i + 1, delayMs, then);
    } else {
      vertx.setTimer(delayMs, id -> writePackets(vertx, r, packets, i + 1, delayMs, then));
    }
  }

  /** Closes the connection without answering. */
  static Reply resetBeforeResponse() {
    return (req, vertx) -> req.connection().close();
  }

  /** Writes {@code partial} (event by event), then closes the connection abruptly. */
  static Reply sseThenReset(String partial) {
    return (req, vertx) -> {
      HttpServerResponse r = sseHead(req);
      List<byte[]> packets = new ArrayList<>();
      for (String e : partial.split("(?<=\n\n)")) {
        packets.add(e.getBytes(StandardCharsets.UTF_8));
      }
      writePackets(vertx, r, packets, 0, 5, () -> vertx.setTimer(50, id -> req.connection().close()));
    };
  }

  /** Writes {@code partial}, then stays silent with the connection open. */
  static Reply sseThenStall(String partial) {
    return (req, vertx) -> sseHead(req).write(partial);
  }

  /** Answers 200 SSE after {@code delayMs}, or never when negative. */
  static Reply delayed(long delayMs, Reply then) {
    return (req, vertx) -> {
      if (delayMs >= 0) {
        vertx.setTimer(Math.max(1, delayMs), id -> then.send(req, vertx));
      }
    };
  }

  /**
   * Starts an event whose single {@code data:} line is {@code bytes} long, written in 64 KiB
   * pieces as fast as the client reads; {@code written} counts what went out.
   */
  static Reply hugeLine(long bytes, AtomicLong written) {
    return (req, vertx) -> {
      HttpServerResponse r = sseHead(req);
      r.write("data: ");
      byte[] piece = new byte[64 * 1024];
      Arrays.fill(piece, (byte) 'x');
      writeHuge(r, Buffer.buffer(piece), bytes, written);
    };
  }

  private static void writeHuge(HttpServerResponse r, Buffer piece, long left, AtomicLong written) {
    while (left > 0 && !r.closed()) {
      if (r.writeQueueFull()) {
        long remaining = left;
        r.drainHandler(v -> writeHuge(r, piece, remaining, written));
        return;
      }
      r.write(piece);
      written.addAndGet(piece.length());
      left -= piece.length();
    }
    if (!r.closed()) {
      r.end("\n\n");
    }
  }
}

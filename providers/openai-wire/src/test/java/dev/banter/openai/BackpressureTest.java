package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import dev.banter.openai.testing.MockServer;
import dev.banter.spi.Secret;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A slow consumer pauses the HTTP response (the server's writes back up) and loses nothing. */
@Timeout(60)
class BackpressureTest {
  private static final int EVENTS = 5_000;
  private static final String PAD = "x".repeat(8000);

  /** Writes events {@code from}.. as fast as the connection takes them; {@code blocked}: its write queue filled up. */
  private static void write(HttpServerResponse r, int from, CompletableFuture<Void> blocked,
      CompletableFuture<Void> finished) {
    int i = from;
    while (i < EVENTS && !r.closed()) {
      if (r.writeQueueFull()) {
        int next = i;
        r.drainHandler(v -> write(r, next, blocked, finished));
        blocked.complete(null);
        return;
      }
      r.write(Buffer.buffer(": " + PAD + "\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + i
          + " \"}}]}\n\n"));
      i++;
    }
    if (i == EVENTS && !r.closed()) {
      r.end("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
      finished.complete(null);
    }
  }

  @Test
  void a_slow_consumer_pauses_the_response_and_every_chunk_arrives_in_order() throws Exception {
    CompletableFuture<Void> blocked = new CompletableFuture<>();
    CompletableFuture<Void> finished = new CompletableFuture<>();
    try (MockServer server = MockServer.start()) {
      server.on("/v1/chat/completions", (req, vertx) -> write(req.response().setChunked(true)
          .putHeader("Content-Type", "text/event-stream"), 0, blocked, finished));
      OpenAiClient client = OpenAiClient.builder("bp").endpoint(Endpoint.parse(server.baseUrl()))
          .apiKey(Secret.of("k-123")).model("m").build();
      try {
        ChatStream stream = client.stream(ChatRequest.of("go"));
        AtomicInteger received = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        CompletableFuture<ChatSubscription> subscription = new CompletableFuture<>();
        CountDownLatch firstChunk = new CountDownLatch(1);
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        stream.subscribe(new ChatListener() {
          @Override
          public void onError(BanterException error) {
            done.completeExceptionally(error);
          }

          @Override
          public void onSubscribe(ChatSubscription s) {
            s.request(1);
            subscription.complete(s);
          }

          @Override
          public void onChunk(ChatChunk chunk) {
            int n = received.getAndIncrement();
            if (!chunk.text().equals(n + " ")) {
              outOfOrder.incrementAndGet();
            }
            firstChunk.countDown();
          }

          @Override
          public void onComplete(ChatResponse response) {
            done.complete(response);
          }
        });
        assertTrue(firstChunk.await(30, TimeUnit.SECONDS), "the first chunk never arrived");
        blocked.get(30, TimeUnit.SECONDS);
        // The consumer holds one chunk and asks for nothing more: the server, stuck behind the
        // paused response, must not get its 40 MB out. A client that did not pace the response
        // would let it finish in a fraction of this second; a correct one can never fail here,
        // however slow the machine, since it never lets the server finish.
        assertThrows(TimeoutException.class, () -> finished.get(1, TimeUnit.SECONDS),
            "the server could write all 40 MB although the consumer took one chunk");
        assertEquals(1, received.get());
        subscription.get(5, TimeUnit.SECONDS).request(Long.MAX_VALUE);
        ChatResponse r = done.get(30, TimeUnit.SECONDS);
        assertEquals(EVENTS, received.get());
        assertEquals(0, outOfOrder.get());
        assertTrue(finished.isDone());
        assertTrue(r.text().endsWith((EVENTS - 1) + " "));
      } finally {
        client.close();
      }
    }
  }
}

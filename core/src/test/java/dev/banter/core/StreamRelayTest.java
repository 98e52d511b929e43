package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationTimeoutException;
import dev.banter.api.Usage;
import dev.banter.spi.ChatStreamEmitter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamRelayTest {
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  private final RequestInfo info = new RequestInfo(1, ChatRequest.of("hi"), Optional.empty(), true);

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void a_chunk_racing_the_idle_limit_is_dropped_and_the_caller_gets_the_timeout() {
    ChatStreamEmitter out = ChatStreamEmitter.create("b", "m");
    ChatStreamEmitter source = ChatStreamEmitter.create("b", "m");
    StreamRelay[] relay = new StreamRelay[1];
    AtomicInteger chunks = new AtomicInteger();
    ChatObserver idleLimitFiresMidChunk = new ChatObserver() {
      @Override
      public void onChunk(RequestInfo r, ChatChunk c) {
        if (chunks.incrementAndGet() == 2) {
          relay[0].idleExpired();
        }
      }
    };
    relay[0] = new StreamRelay(out, "b", "b", error -> {}, info, new Observers(List.of(idleLimitFiresMidChunk)),
        new VirtualTime(), 0, Duration.ofHours(1), timer);
    source.emit(ChatChunk.ofText("first "));
    relay[0].open(source, Duration.ZERO);

    source.emit(ChatChunk.ofText("second"));
    source.complete(FinishReason.STOP, Usage.of(1, 2));

    assertThrows(GenerationTimeoutException.class, out::await);
    assertEquals(FinishReason.CANCELLED, source.whenDone().toCompletableFuture().join().finishReason(),
        "the backend's stream is cancelled by the idle limit, not failed by its listener");
  }
}

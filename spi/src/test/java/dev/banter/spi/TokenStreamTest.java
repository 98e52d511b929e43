package dev.banter.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TokenStreamTest {
  private static final List<String> WORDS = List.of("Hello", " there", ",", " User", ":", " more");

  private static TokenProducer words(AtomicInteger produced) {
    return sink -> {
      for (String w : WORDS) {
        produced.incrementAndGet();
        if (!sink.accept(w)) {
          return;
        }
      }
    };
  }

  private static ChatRequest request(GenerationOptions options) {
    return ChatRequest.builder().user("hi").options(options).build();
  }

  @Test
  void every_token_reaches_the_caller_and_the_usage_counts_them() {
    ChatResponse r = TokenStream.start("t", "m", request(GenerationOptions.defaults()), 7,
        words(new AtomicInteger())).await();
    assertEquals(String.join("", WORDS), r.text());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(Optional.of(Usage.of(7, 6)), r.usage());
  }

  @Test
  void a_stop_sequence_split_over_tokens_ends_the_answer_before_it_and_stops_the_producer() {
    AtomicInteger produced = new AtomicInteger();
    ChatStream s = TokenStream.start("t", "m", request(GenerationOptions.builder().stop("User:").build()), 1,
        words(produced));
    List<String> seen = new ArrayList<>();
    for (ChatChunk c : s) {
      seen.add(c.text());
    }
    ChatResponse r = s.await();
    assertEquals("Hello there, ", r.text());
    assertEquals("Hello there, ", String.join("", seen), "the held-back ' User' never reached the caller");
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(5, produced.get(), "the producer was told to stop at ':'");
  }

  @Test
  void max_tokens_ends_the_answer_with_length_and_releases_held_text() {
    ChatResponse r = TokenStream.start("t", "m", request(GenerationOptions.builder().maxTokens(4).stop("User:").build()),
        1, words(new AtomicInteger())).await();
    assertEquals("Hello there, User", r.text(), "' User' was held as a possible stop, then released at the limit");
    assertEquals(FinishReason.LENGTH, r.finishReason());
    assertEquals(4, r.usage().orElseThrow().completionTokens());
  }

  @Test
  void cancelling_stops_the_producer_at_its_next_token() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    AtomicInteger produced = new AtomicInteger();
    ChatStream s = TokenStream.start("t", "m", request(GenerationOptions.defaults()), 1, sink -> {
      for (int i = 0; i < 1000; i++) {
        produced.incrementAndGet();
        if (!sink.accept("x")) {
          return;
        }
        first.countDown();
        cancelled.await();
      }
    });
    assertTrue(first.await(5, TimeUnit.SECONDS));
    s.cancel();
    cancelled.countDown();
    ChatResponse r = s.await();
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertEquals(2, produced.get(), "one more token was offered and refused");
  }

  @Test
  void a_failing_producer_fails_the_stream_with_its_error_or_one_naming_it() {
    BanterException own = new BackendUnavailableException("engine gone", "t", null);
    assertThrows(BackendUnavailableException.class, () -> TokenStream.start("t", "m",
        request(GenerationOptions.defaults()), 1, sink -> {
          throw own;
        }).await());
    BanterException wrapped = assertThrows(BanterException.class, () -> TokenStream.start("t", "m",
        request(GenerationOptions.defaults()), 1, sink -> {
          throw new OutOfMemoryError("Java heap space");
        }).await());
    assertTrue(wrapped.getMessage().contains("Backend 't' failed while generating")
        && wrapped.getMessage().contains("OutOfMemoryError"), wrapped.getMessage());
  }

  @Test
  void a_shut_down_executor_is_a_backend_unavailable_error() {
    ExecutorService closed = Executors.newSingleThreadExecutor();
    closed.shutdown();
    assertThrows(BackendUnavailableException.class, () -> TokenStream.start(closed, "t", "m",
        request(GenerationOptions.defaults()), 1, words(new AtomicInteger())));
  }

  @Test
  void a_producer_that_finishes_without_tokens_completes_empty() {
    ChatResponse r = TokenStream.start("t", "m", request(GenerationOptions.defaults()), 3, sink -> {}).await();
    assertEquals("", r.text());
    assertEquals(Optional.of(Usage.of(3, 0)), r.usage());
    assertFalse(r.finishReason() == FinishReason.CANCELLED);
  }
}

package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.AuthenticationException;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationTimeoutException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ProtocolException;
import dev.banter.api.RateLimitedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeout only guards against a hang (several tests wait on a backend that stalls until cancelled). */
@Timeout(60)
class ResilienceTest {
  private final VirtualTime time = new VirtualTime();

  private static BackendUnavailableException down(String id) {
    return new BackendUnavailableException("connection refused", id, null);
  }

  private ChatModel model(Resilience r, ScriptedBackend primary, ScriptedBackend... fallbacks) {
    Banter.Builder b = Banter.builder().backend(primary.id).provider(primary.provider())
        .resilience(r).timeSource(time).noDefaultPersona();
    for (ScriptedBackend f : fallbacks) {
      b.provider(f.provider()).fallback(f.id, java.util.Map.of());
    }
    return b.build();
  }

  private static String collect(ChatStream stream) {
    StringBuilder sb = new StringBuilder();
    for (ChatChunk c : stream) {
      sb.append(c.text());
    }
    return sb.toString();
  }

  @Test
  void failure_before_first_token_is_retried_then_falls_back() {
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.fail(down("primary")));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("Hello", " from", " backup"));
    List<String> events = new ArrayList<>();
    ChatModel model = Banter.builder().backend("primary").provider(primary.provider())
        .provider(backup.provider()).fallback("backup", java.util.Map.of())
        .resilience(Resilience.builder().maxAttempts(3).noCircuitBreaker().build())
        .timeSource(time).noDefaultPersona()
        .observer(new ChatObserver() {
          @Override
          public void onRetry(RequestInfo r, String backend, int attempt, Duration d, BanterException e) {
            events.add("retry " + backend + " " + attempt);
          }

          @Override
          public void onFallback(RequestInfo r, String from, String to, BanterException e) {
            events.add("fallback " + from + "->" + to);
          }
        }).build();

    ChatStream stream = model.stream("hi");
    assertEquals("Hello from backup", collect(stream));
    ChatResponse r = stream.await();
    assertEquals(Optional.of("backup"), r.backendId());
    assertEquals(3, primary.calls.get(), "the primary is tried maxAttempts times");
    assertEquals(1, backup.calls.get());
    assertEquals(List.of("retry primary 1", "retry primary 2", "fallback primary->backup"), events);
    assertEquals(2, time.sleeps.size(), "two backoffs between three attempts");
  }

  @Test
  void blocking_chat_is_retried_and_falls_back_too() {
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.fail(down("primary")));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("ok"));
    ChatModel model = model(Resilience.builder().maxAttempts(2).noCircuitBreaker().build(), primary, backup);
    assertEquals("ok", model.chat("hi").text());
    assertEquals(2, primary.calls.get());
  }

  @Test
  void failure_after_first_token_is_reported_not_retried_and_no_token_is_lost_or_duplicated() {
    ScriptedBackend primary = new ScriptedBackend("primary")
        .then(ScriptedBackend.failAfter(3, new ProtocolException("stream cut", "primary", null)))
        .always(ScriptedBackend.answer("never"));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("never"));
    ChatModel model = model(Resilience.builder().maxAttempts(3).noCircuitBreaker().build(), primary, backup);

    ChatStream stream = model.stream("hi");
    StringBuilder seen = new StringBuilder();
    BanterException error = assertThrows(BanterException.class, () -> {
      for (ChatChunk c : stream) {
        seen.append(c.text());
      }
    });
    assertInstanceOf(ProtocolException.class, error);
    assertEquals("p0 p1 p2 ", seen.toString(), "every token before the failure arrives exactly once");
    assertEquals(1, primary.calls.get(), "no retry after the first token");
    assertEquals(0, backup.calls.get(), "no fallback after the first token");
  }

  @Test
  void rate_limited_with_retry_after_waits_at_least_that_long() {
    Duration retryAfter = Duration.ofSeconds(7);
    ScriptedBackend primary = new ScriptedBackend("primary")
        .then(ScriptedBackend.fail(new RateLimitedException("slow down", "primary", retryAfter, null)))
        .always(ScriptedBackend.answer("after", " the", " wait"));
    ChatModel model = model(Resilience.builder().maxAttempts(3).noCircuitBreaker()
        .initialBackoff(Duration.ofMillis(10)).build(), primary);
    long before = time.nanoTime();

    assertEquals("after the wait", collect(model.stream("hi")));
    assertEquals(1, time.sleeps.size());
    assertTrue(time.sleeps.get(0).compareTo(retryAfter) >= 0, "slept " + time.sleeps.get(0));
    assertTrue(time.nanoTime() - before >= retryAfter.toNanos());
  }

  @Test
  void retry_after_beyond_the_limit_is_not_waited_for() {
    ScriptedBackend primary = new ScriptedBackend("primary")
        .always(ScriptedBackend.fail(new RateLimitedException("quota", "primary", Duration.ofHours(1), null)));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("backup"));
    ChatModel model = model(Resilience.builder().maxAttempts(3).noCircuitBreaker()
        .maxRetryAfter(Duration.ofSeconds(60)).build(), primary, backup);
    assertEquals("backup", model.chat("hi").text());
    assertEquals(1, primary.calls.get());
    assertTrue(time.sleeps.isEmpty());
  }

  @Test
  void backoff_grows_exponentially_within_its_jitter() {
    ScriptedBackend primary = new ScriptedBackend("primary")
        .then(ScriptedBackend.fail(down("p")), ScriptedBackend.fail(down("p")), ScriptedBackend.fail(down("p")))
        .always(ScriptedBackend.answer("ok"));
    ChatModel model = model(Resilience.builder().maxAttempts(4).noCircuitBreaker().initialBackoff(Duration.ofMillis(100))
        .multiplier(2).jitter(0.25).maxBackoff(Duration.ofSeconds(10)).build(), primary);
    assertEquals("ok", model.chat("hi").text());
    assertEquals(3, time.sleeps.size());
    long[][] bounds = {{75, 100}, {150, 200}, {300, 400}};
    for (int i = 0; i < 3; i++) {
      long ms = time.sleeps.get(i).toMillis();
      assertTrue(ms >= bounds[i][0] && ms <= bounds[i][1], "backoff " + i + " was " + ms + " ms");
    }
  }

  @Test
  void not_retryable_errors_reach_the_caller_at_once() {
    ScriptedBackend primary = new ScriptedBackend("primary")
        .always(ScriptedBackend.fail(new InvalidRequestException("bad temperature", "primary", "temperature", null)));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("never"));
    ChatModel model = model(Resilience.defaults(), primary, backup);
    assertThrows(InvalidRequestException.class, () -> model.chat("hi"));
    assertEquals(1, primary.calls.get());
    assertEquals(0, backup.calls.get(), "an invalid request is not the backend's fault: no fallback");
  }

  @Test
  void authentication_failure_is_not_retried_but_falls_back() {
    ScriptedBackend primary = new ScriptedBackend("primary")
        .always(ScriptedBackend.fail(new AuthenticationException("key revoked", "primary", null)));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("local answer"));
    ChatModel model = model(Resilience.builder().maxAttempts(3).build(), primary, backup);
    assertEquals("local answer", model.chat("hi").text());
    assertEquals(1, primary.calls.get());
  }

  @Test
  void circuit_opens_after_the_configured_failures_and_the_fallback_answers_while_open() {
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.fail(down("primary")));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("backup"));
    BanterChatModel model = (BanterChatModel) model(Resilience.builder().maxAttempts(1)
        .circuitBreaker(3, 100, Duration.ofSeconds(30)).build(), primary, backup);

    for (int i = 0; i < 3; i++) {
      assertEquals("backup", model.chat("hi").text());
    }
    assertEquals(CircuitBreaker.State.OPEN, model.guarded(0).breakerState());
    assertEquals(3, primary.calls.get());

    for (int i = 0; i < 5; i++) {
      assertEquals("backup", collect(model.stream("hi")));
    }
    assertEquals(3, primary.calls.get(), "an open breaker keeps calls away from the primary");

    time.advance(Duration.ofSeconds(31));
    assertEquals("backup", model.chat("hi").text());
    assertEquals(4, primary.calls.get(), "after the open period one trial call goes through");
  }

  @Test
  void without_a_fallback_an_open_circuit_fails_fast_with_backend_unavailable() {
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.fail(down("primary")));
    ChatModel model = model(Resilience.builder().maxAttempts(1).circuitBreaker(2, 100, Duration.ofMinutes(1)).build(),
        primary);
    assertThrows(BackendUnavailableException.class, () -> model.chat("a"));
    assertThrows(BackendUnavailableException.class, () -> model.chat("b"));
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> model.chat("c"));
    assertTrue(e.getMessage().contains("circuit breaker"), e.getMessage());
    assertEquals(2, primary.calls.get());
  }

  @Test
  void no_first_token_in_time_is_retried_on_the_fallback() {
    // The limit runs on the real clock and applies to the backup too: its answer is already in
    // its stream when core subscribes (see ScriptedBackend), so only the silent primary times out.
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.stall(0));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("quick"));
    ChatModel model = model(Resilience.builder().maxAttempts(1).noCircuitBreaker()
        .firstTokenTimeout(Duration.ofMillis(200)).build(), primary, backup);
    assertEquals("quick", collect(model.stream("hi")));
  }

  @Test
  void silence_between_tokens_fails_the_stream_after_delivering_what_came() {
    // s0 and s1 wait in the stream before core subscribes, then the backend is silent until
    // cancelled: only that endless silence can run out the limit (on the real clock), not a
    // scheduling hiccup between s0 and s1.
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.stall(2));
    ChatModel model = model(Resilience.builder().maxAttempts(3).noCircuitBreaker()
        .idleTimeout(Duration.ofSeconds(1)).build(), primary);
    ChatStream stream = model.stream("hi");
    StringBuilder seen = new StringBuilder();
    GenerationTimeoutException e = assertThrows(GenerationTimeoutException.class, () -> {
      for (ChatChunk c : stream) {
        seen.append(c.text());
      }
    });
    assertEquals(GenerationTimeoutException.Phase.BETWEEN_TOKENS, e.phase());
    assertEquals("s0 s1 ", seen.toString());
    assertEquals(1, primary.calls.get());
  }

  @Test
  void full_bulkhead_refuses_and_falls_back() throws Exception {
    // The first stream sends one token and then holds the primary's only slot until it is
    // cancelled (no silence limit), however long the machine takes to open the second; a second
    // call that got through to the primary would be answered at once, by the wrong backend.
    ScriptedBackend primary = new ScriptedBackend("primary").then(ScriptedBackend.stall(1))
        .always(ScriptedBackend.answer("the primary let a second call in"));
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("overflow"));
    ChatModel model = model(Resilience.builder().maxAttempts(1).noCircuitBreaker().maxConcurrentCalls(1)
        .idleTimeout(Duration.ZERO).build(), primary, backup);
    ChatStream first = model.stream("one");
    assertTrue(first.iterator().hasNext(), "the first stream runs and holds the primary's one slot");
    ChatStream second = model.stream("two");
    assertEquals("overflow", collect(second));
    assertEquals(Optional.of("backup"), second.await().backendId());
    assertEquals(1, primary.calls.get(), "the full bulkhead kept the second call away from the primary");
    first.cancel();
    assertEquals(FinishReason.CANCELLED, first.await().finishReason());
  }

  @Test
  void cancelling_a_stream_ends_its_wait_for_a_retry() throws Exception {
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.fail(
        new RateLimitedException("slow down", "primary", Duration.ofMinutes(10), null)));
    java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
    ChatModel model = Banter.builder().backend("primary").provider(primary.provider()).noDefaultPersona()
        .resilience(Resilience.builder().maxAttempts(2).maxRetryAfter(Duration.ofHours(1)).noCircuitBreaker().build())
        .observer(new ChatObserver() {
          @Override
          public void onRetry(RequestInfo r, String backend, int attempt, Duration delay, BanterException e) {
            waiting.countDown();
          }
        }).build();
    ChatStream stream = model.stream("hi");
    assertTrue(waiting.await(30, java.util.concurrent.TimeUnit.SECONDS));
    stream.cancel();
    ChatResponse r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), stream::await,
        "the stream waited out the server's 10-minute Retry-After although it was cancelled");
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertEquals(1, primary.calls.get());
  }

  @Test
  void cancel_stops_the_backend_within_one_token_and_completes_with_the_partial_text() throws Exception {
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.slowAnswer(5, 200));
    ChatModel model = model(Resilience.none(), primary);
    ChatStream stream = model.stream("long story please");
    StringBuilder seen = new StringBuilder();
    int n = 0;
    for (ChatChunk c : stream) {
      seen.append(c.text());
      if (++n == 5) {
        stream.cancel();
      }
    }
    ChatResponse r = stream.await();
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertTrue(r.text().startsWith(seen.toString()), "partial text: " + r.text());
    assertTrue(seen.toString().startsWith("t0 t1 t2 t3 t4 "));
    // The stream completes only after the backend's complete(), which follows its last emit.
    assertTrue(primary.emittedAfterCancel.get() <= 1, "tokens after cancel: " + primary.emittedAfterCancel.get());
    assertTrue(primary.emitted.get() < 200);
  }

  @Test
  void issue17_a_fallback_gets_the_persona_prompt_sized_for_its_own_context() {
    ScriptedBackend primary = new ScriptedBackend("primary").always(ScriptedBackend.fail(down("primary")));
    primary.contextLength = 8192;
    ScriptedBackend backup = new ScriptedBackend("backup").always(ScriptedBackend.answer("small"));
    backup.contextLength = 256;
    ChatModel model = Banter.builder().backend("primary").provider(primary.provider()).provider(backup.provider())
        .fallback("backup", java.util.Map.of()).resilience(Resilience.builder().maxAttempts(1).noCircuitBreaker()
            .build()).timeSource(time).persona("witty").build();
    assertEquals("small", model.chat("hi").text());
    String toPrimary = primary.requests.get(0).messages().get(0).content();
    String toBackup = backup.requests.get(0).messages().get(0).content();
    assertTrue(toBackup.length() < toPrimary.length() / 2,
        "the 256-token fallback gets the compact persona prompt:\n" + toBackup + "\n---\n" + toPrimary);
  }
}

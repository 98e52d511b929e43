package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core's own circuit breaker and rate limiter, on a virtual clock. */
class GuardsTest {
  private final VirtualTime time = new VirtualTime();

  @Test
  void breaker_opens_only_once_the_window_is_full_and_the_failure_rate_is_reached() {
    CircuitBreaker b = new CircuitBreaker(4, 50, Duration.ofSeconds(10), time);
    for (int i = 0; i < 3; i++) {
      assertTrue(b.tryAcquire());
      b.onError();
    }
    assertEquals(CircuitBreaker.State.CLOSED, b.state(), "three calls do not fill a window of four");
    assertTrue(b.tryAcquire());
    b.onSuccess();
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "3 of the last 4 failed: 75 % >= 50 %");
    assertFalse(b.tryAcquire());
  }

  @Test
  void breaker_forgets_outcomes_that_left_the_window() {
    CircuitBreaker b = new CircuitBreaker(3, 60, Duration.ofSeconds(10), time);
    for (boolean failed : List.of(true, false, false, true, false, false)) {
      assertTrue(b.tryAcquire());
      if (failed) {
        b.onError();
      } else {
        b.onSuccess();
      }
      assertEquals(CircuitBreaker.State.CLOSED, b.state(), "never two failures among the last three");
    }
    b.tryAcquire();
    b.onError();
    b.tryAcquire();
    b.onError();
    assertEquals(CircuitBreaker.State.OPEN, b.state());
  }

  @Test
  void after_the_open_period_one_trial_call_decides() {
    CircuitBreaker b = new CircuitBreaker(1, 100, Duration.ofSeconds(10), time);
    b.tryAcquire();
    b.onError();
    time.advance(Duration.ofSeconds(9));
    assertFalse(b.tryAcquire());
    time.advance(Duration.ofSeconds(1));
    assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());
    assertTrue(b.tryAcquire(), "the trial call");
    assertFalse(b.tryAcquire(), "only one trial at a time");
    b.onError();
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "a failed trial opens it again");
    time.advance(Duration.ofSeconds(10));
    assertTrue(b.tryAcquire());
    b.release();
    assertTrue(b.tryAcquire(), "a released trial permit lets the next caller try");
    b.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, b.state());
    assertTrue(b.tryAcquire());
  }

  @Test
  void rate_limiter_hands_out_the_permits_of_each_second_and_refuses_when_the_wait_is_too_long() {
    RateLimiter refusing = new RateLimiter(2, Duration.ZERO, time);
    assertTrue(refusing.tryAcquire());
    assertTrue(refusing.tryAcquire());
    assertFalse(refusing.tryAcquire());
    time.advance(Duration.ofSeconds(1));
    assertTrue(refusing.tryAcquire());
    assertTrue(time.sleeps.isEmpty());
  }

  @Test
  void rate_limiter_waiters_queue_into_the_next_seconds() {
    RateLimiter waiting = new RateLimiter(1, Duration.ofMillis(2500), time);
    assertTrue(waiting.tryAcquire());
    time.advance(Duration.ofMillis(300));
    assertTrue(waiting.tryAcquire(), "waits for the next second");
    assertEquals(List.of(Duration.ofMillis(700)), time.sleeps);
    assertTrue(waiting.tryAcquire(), "a caller in the second it waited for waits for the one after");
    assertEquals(Duration.ofMillis(1000), time.sleeps.get(1));
  }

  @Test
  void rate_limiter_callers_arriving_together_reserve_successive_seconds_up_to_the_allowed_wait() {
    java.util.List<Duration> waits = new java.util.ArrayList<>();
    TimeSource frozen = new TimeSource() {
      @Override
      public long nanoTime() {
        return 0;
      }

      @Override
      public void sleep(Duration d) {
        waits.add(d);
      }
    };
    RateLimiter limiter = new RateLimiter(2, Duration.ofMillis(1500), frozen);
    assertTrue(limiter.tryAcquire());
    assertTrue(limiter.tryAcquire());
    assertTrue(limiter.tryAcquire());
    assertTrue(limiter.tryAcquire());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), waits, "two permits of the next second");
    assertFalse(limiter.tryAcquire(), "the second after next is 2 s away, past the allowed 1.5 s");
  }
}

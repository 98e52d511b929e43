package dev.banter.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Where core reads time and waits: the backoff between retries, the circuit breaker's open period,
 * the rate limiter's one-second cycles and the timestamps behind a response's {@link dev.banter.api.Timings} go through it, so tests
 * advance a virtual clock instead of sleeping. The time-to-first-token and silence limits
 * ({@link Resilience#firstTokenTimeout()}, {@link Resilience#idleTimeout()}) do not: they are
 * waited out on the real clock whatever the source, so a virtual clock neither fires nor delays
 * them. Implementations must be thread-safe.
 *
 * <pre>{@code
 * ChatModel model = Banter.builder().backend("xai").timeSource(TimeSource.system()).build();
 * }</pre>
 */
public interface TimeSource {
  /** A monotonic tick in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Waits {@code duration} (a virtual source returns at once and advances its clock). */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Waits {@code duration}, or less when {@code wakeUp} reaches zero first: a stream cancelled
   * during a retry's backoff ends at once. The default waits the whole {@link #sleep}; the system
   * source wakes up early.
   */
  default void sleep(Duration duration, CountDownLatch wakeUp) throws InterruptedException {
    sleep(duration);
  }

  /** The real clock: {@link System#nanoTime()} and {@link Thread#sleep}. */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}

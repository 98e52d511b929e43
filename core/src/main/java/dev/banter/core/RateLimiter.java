package dev.banter.core;

import java.time.Duration;

/**
 * At most {@code permitsPerSecond} calls in each one-second cycle; a caller finding the cycle's
 * permits spent waits for the next cycle when that is no further away than {@code maxWait}, and
 * is refused otherwise. Thread-safe; time is read and waited through the runtime's
 * {@link TimeSource}.
 */
final class RateLimiter {
  private static final long CYCLE_NANOS = 1_000_000_000L;

  private final int permitsPerSecond;
  private final long maxWaitNanos;
  private final TimeSource time;
  private final long start;

  // Guarded by "this".
  private long cycle;
  private int used;

  RateLimiter(int permitsPerSecond, Duration maxWait, TimeSource time) {
    if (permitsPerSecond < 1) {
      throw new IllegalArgumentException("permitsPerSecond must be >= 1, got " + permitsPerSecond);
    }
    this.permitsPerSecond = permitsPerSecond;
    this.maxWaitNanos = maxWait.toNanos();
    this.time = time;
    this.start = time.nanoTime();
  }

  /**
   * Takes a permit, waiting for the next cycle if that is allowed.
   *
   * @return false when no permit comes within the allowed wait (or the wait was interrupted,
   *     with the interrupt flag kept)
   */
  boolean tryAcquire() {
    long wait;
    synchronized (this) {
      long now = time.nanoTime() - start;
      long current = now / CYCLE_NANOS;
      if (current > cycle) {
        used = (int) Math.max(0, used - (current - cycle) * permitsPerSecond);
        cycle = current;
      }
      // "used" counts the permits handed out from this cycle on, those reserved by waiters included.
      long target = current + used / permitsPerSecond;
      if (target == current) {
        used++;
        return true;
      }
      wait = target * CYCLE_NANOS - now;
      if (wait > maxWaitNanos) {
        return false;
      }
      used++;
    }
    try {
      time.sleep(Duration.ofNanos(wait));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

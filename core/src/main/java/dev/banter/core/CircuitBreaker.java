package dev.banter.core;

import java.time.Duration;

/**
 * A count-based circuit breaker: it remembers the outcomes of the last {@code window} calls and
 * opens when at least {@code window} calls were seen and the share of failures among them reaches
 * {@code failureRatePercent}. Open, it refuses calls for {@code openDuration}; then it lets one
 * trial call through (half-open) and closes on its success, or opens again on its failure.
 * Thread-safe; time is read from the runtime's {@link TimeSource}, so tests move it by hand.
 *
 * <pre>
 * CLOSED --failure rate reached--> OPEN --openDuration passed--> HALF_OPEN --trial succeeds--> CLOSED
 *                                   ^                                  |
 *                                   +---------- trial fails -----------+
 * </pre>
 */
final class CircuitBreaker {
  /** The states of the breaker. */
  enum State {
    /** Calls pass; outcomes are recorded. */
    CLOSED,
    /** Calls are refused until the open period ends. */
    OPEN,
    /** One trial call is under way; others are refused. */
    HALF_OPEN
  }

  private final int window;
  private final int failureRatePercent;
  private final long openNanos;
  private final TimeSource time;

  // The last "window" outcomes as a ring; guarded by "this".
  private final boolean[] failed;
  private int recorded;
  private int next;
  private int failures;
  private State state = State.CLOSED;
  private long openedAt;
  private boolean trialUnderWay;

  CircuitBreaker(int window, int failureRatePercent, Duration openDuration, TimeSource time) {
    if (window < 1 || failureRatePercent < 1 || failureRatePercent > 100) {
      throw new IllegalArgumentException("window must be >= 1 and failureRatePercent in [1, 100], got "
          + window + " and " + failureRatePercent);
    }
    this.window = window;
    this.failureRatePercent = failureRatePercent;
    this.openNanos = openDuration.toNanos();
    this.time = time;
    this.failed = new boolean[window];
  }

  /** Whether a call may go ahead now; a permitted call must end in {@link #onSuccess}, {@link #onError} or {@link #release}. */
  synchronized boolean tryAcquire() {
    if (state == State.OPEN && time.nanoTime() - openedAt >= openNanos) {
      state = State.HALF_OPEN;
      trialUnderWay = false;
    }
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> {
        if (trialUnderWay) {
          yield false;
        }
        trialUnderWay = true;
        yield true;
      }
    };
  }

  /** A permitted call did not happen after all (another guard refused it). */
  synchronized void release() {
    if (state == State.HALF_OPEN) {
      trialUnderWay = false;
    }
  }

  synchronized void onSuccess() {
    if (state == State.HALF_OPEN) {
      close();
    } else if (state == State.CLOSED) {
      record(false);
    }
  }

  synchronized void onError() {
    if (state == State.HALF_OPEN) {
      open();
    } else if (state == State.CLOSED) {
      record(true);
    }
  }

  synchronized State state() {
    return state == State.OPEN && time.nanoTime() - openedAt >= openNanos ? State.HALF_OPEN : state;
  }

  private void record(boolean failure) {
    if (recorded == window && failed[next]) {
      failures--;
    }
    failed[next] = failure;
    if (failure) {
      failures++;
    }
    next = (next + 1) % window;
    recorded = Math.min(recorded + 1, window);
    if (recorded == window && failures * 100 >= failureRatePercent * window) {
      open();
    }
  }

  private void open() {
    state = State.OPEN;
    openedAt = time.nanoTime();
    trialUnderWay = false;
  }

  private void close() {
    state = State.CLOSED;
    recorded = 0;
    next = 0;
    failures = 0;
    trialUnderWay = false;
  }
}

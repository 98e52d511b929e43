package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.RateLimitedException;
import dev.banter.spi.Backend;
import dev.banter.api.BackendUnavailableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One backend of the fallback chain with its guards. For every attempt, in this order: the
 * circuit breaker must permit the call, then the rate limiter, then the bulkhead; the attempt runs;
 * a retryable failure before the first token is retried after a backoff (exponential with jitter,
 * or exactly the backend's Retry-After) until the attempts are spent. A refusal by a guard is not
 * retried here: the chain falls back to the next backend instead.
 */
final class GuardedBackend {
  /** One try against the backend; it must end the lease when the call ends (for a stream, later). */
  interface Attempt<T> {
    T run(Backend backend, Lease lease);
  }

  private final String name;
  private final Backend backend;
  private final Resilience settings;
  private final TimeSource time;
  private final CircuitBreaker breaker;
  private final RateLimiter limiter;
  private final Semaphore bulkhead;

  GuardedBackend(String name, Backend backend, Resilience settings, TimeSource time) {
    this.name = name;
    this.backend = backend;
    this.settings = settings;
    this.time = time;
    this.breaker = settings.circuitBreakerEnabled()
        ? new CircuitBreaker(settings.breakerMinimumCalls(), settings.breakerFailureRatePercent(),
            settings.breakerOpenDuration(), time)
        : null;
    this.limiter = settings.rateLimitPerSecond() > 0
        ? new RateLimiter(settings.rateLimitPerSecond(), settings.rateLimitWait(), time)
        : null;
    this.bulkhead = settings.maxConcurrentCalls() > 0 ? new Semaphore(settings.maxConcurrentCalls()) : null;
  }

  String name() {
    return name;
  }

  Backend backend() {
    return backend;
  }

  /** The breaker's state, for diagnostics and tests; CLOSED when there is no breaker. */
  CircuitBreaker.State breakerState() {
    return breaker == null ? CircuitBreaker.State.CLOSED : breaker.state();
  }

  /**
   * Runs {@code attempt} with retries.
   *
   * @param cancelled at zero, no further attempt is made and the last failure is rethrown; it
   *     also ends a backoff early
   * @throws BanterException the last failure when the attempts are spent or it is not retryable
   */
  <T> T execute(Attempt<T> attempt, RetryListener listener, CountDownLatch cancelled) {
    int attemptNo = 0;
    while (true) {
      attemptNo++;
      try {
        return once(attempt);
      } catch (BanterException e) {
        if (!retryable(e) || attemptNo >= settings.maxAttempts() || cancelled.getCount() == 0) {
          throw e;
        }
        long delay = delayMillis(attemptNo, e);
        listener.onRetry(attemptNo, Duration.ofMillis(delay), e);
        try {
          time.sleep(Duration.ofMillis(delay), cancelled);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        if (cancelled.getCount() == 0) {
          throw e;
        }
      }
    }
  }

  interface RetryListener {
    void onRetry(int attempt, Duration delay, BanterException cause);
  }

  private <T> T once(Attempt<T> attempt) {
    if (breaker != null && !breaker.tryAcquire()) {
      throw new CallRefusedException("The circuit breaker of backend '" + name + "' is " + breaker.state()
          + " after repeated failures; calls are refused for up to " + settings.breakerOpenDuration()
          + ". Falling back or retrying later will help.", backend.id());
    }
    if (limiter != null && !limiter.tryAcquire()) {
      if (breaker != null) {
        breaker.release();
      }
      throw new CallRefusedException("The rate limit of backend '" + name + "' (" + settings.rateLimitPerSecond()
          + " calls per second) is reached.", backend.id());
    }
    if (bulkhead != null && !bulkhead.tryAcquire()) {
      if (breaker != null) {
        breaker.release();
      }
      throw new CallRefusedException("Backend '" + name + "' already runs " + settings.maxConcurrentCalls()
          + " calls, its concurrency limit.", backend.id());
    }
    LeaseImpl lease = new LeaseImpl();
    try {
      return attempt.run(backend, lease);
    } catch (BanterException e) {
      lease.end(e);
      throw e;
    } catch (RuntimeException e) {
      BanterException wrapped = new BackendUnavailableException("Backend '" + name
          + "' failed unexpectedly: " + e, backend.id(), e);
      lease.end(wrapped);
      throw wrapped;
    }
  }

  private boolean retryable(BanterException e) {
    if (e instanceof CallRefusedException) {
      return false;
    }
    if (e instanceof RateLimitedException limited
        && limited.retryAfter().orElse(Duration.ZERO).compareTo(settings.maxRetryAfter()) > 0) {
      return false;
    }
    return e.retryable();
  }

  private long delayMillis(int attempt, BanterException error) {
    if (error instanceof RateLimitedException limited && limited.retryAfter().isPresent()) {
      return limited.retryAfter().get().toMillis();
    }
    long base = settings.backoff(attempt).toMillis();
    double shrink = settings.jitter() * ThreadLocalRandom.current().nextDouble();
    return Math.round(base * (1 - shrink));
  }

  private final class LeaseImpl implements Lease {
    private final AtomicBoolean ended = new AtomicBoolean();

    @Override
    public void end(BanterException error) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      if (bulkhead != null) {
        bulkhead.release();
      }
      if (breaker != null) {
        if (error != null && error.retryable()) {
          breaker.onError();
        } else {
          breaker.onSuccess();
        }
      }
    }
  }
}

package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.RateLimitedException;
import dev.banter.spi.Backend;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
  private final Retry retry;
  private final CircuitBreaker breaker;
  private final RateLimiter limiter;
  private final Bulkhead bulkhead;

  GuardedBackend(String name, Backend backend, Resilience settings, TimeSource time) {
    this.name = name;
    this.backend = backend;
    this.settings = settings;
    this.time = time;
    this.retry = Retry.of(name, RetryConfig.custom()
        .maxAttempts(settings.maxAttempts())
        .retryOnException(this::retryable)
        .intervalBiFunction((attempt, outcome) -> delayMillis(attempt,
            outcome.isLeft() ? outcome.getLeft() : null))
        .failAfterMaxAttempts(false)
        .build());
    this.breaker = settings.circuitBreakerEnabled()
        ? CircuitBreaker.of(name, CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.breakerMinimumCalls())
            .minimumNumberOfCalls(settings.breakerMinimumCalls())
            .failureRateThreshold(settings.breakerFailureRatePercent())
            .waitDurationInOpenState(settings.breakerOpenDuration())
            .permittedNumberOfCallsInHalfOpenState(1)
            .recordException(e -> e instanceof BanterException && ((BanterException) e).retryable())
            .clock(time.clock())
            .build())
        : null;
    this.limiter = settings.rateLimitPerSecond() > 0
        ? RateLimiter.of(name, RateLimiterConfig.custom()
            .limitForPeriod(settings.rateLimitPerSecond())
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(settings.rateLimitWait())
            .build())
        : null;
    this.bulkhead = settings.maxConcurrentCalls() > 0
        ? Bulkhead.of(name, BulkheadConfig.custom()
            .maxConcurrentCalls(settings.maxConcurrentCalls())
            .maxWaitDuration(Duration.ZERO)
            .build())
        : null;
  }

  String name() {
    return name;
  }

  Backend backend() {
    return backend;
  }

  /** The breaker's state, for diagnostics and tests; CLOSED when there is no breaker. */
  CircuitBreaker.State breakerState() {
    return breaker == null ? CircuitBreaker.State.CLOSED : breaker.getState();
  }

  /**
   * Runs {@code attempt} with retries.
   *
   * @param cancelled at zero, no further attempt is made and the last failure is rethrown; it
   *     also ends a backoff early
   * @throws BanterException the last failure when the attempts are spent or it is not retryable
   */
  <T> T execute(Attempt<T> attempt, RetryListener listener, CountDownLatch cancelled) {
    Retry.AsyncContext<Object> context = retry.asyncContext();
    int attemptNo = 0;
    while (true) {
      attemptNo++;
      try {
        T result = once(attempt);
        context.onComplete();
        return result;
      } catch (BanterException e) {
        if (e instanceof CallRefusedException) {
          throw e;
        }
        long delay = context.onError(e);
        if (delay < 0 || cancelled.getCount() == 0) {
          throw e;
        }
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
    if (breaker != null && !breaker.tryAcquirePermission()) {
      throw new CallRefusedException("The circuit breaker of backend '" + name + "' is " + breaker.getState()
          + " after repeated failures; calls are refused for up to " + settings.breakerOpenDuration()
          + ". Falling back or retrying later will help.", backend.id());
    }
    if (limiter != null && !limiter.acquirePermission()) {
      if (breaker != null) {
        breaker.releasePermission();
      }
      throw new CallRefusedException("The rate limit of backend '" + name + "' (" + settings.rateLimitPerSecond()
          + " calls per second) is reached.", backend.id());
    }
    if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
      if (breaker != null) {
        breaker.releasePermission();
      }
      throw new CallRefusedException("Backend '" + name + "' already runs " + settings.maxConcurrentCalls()
          + " calls, its concurrency limit.", backend.id());
    }
    LeaseImpl lease = new LeaseImpl(time.nanoTime());
    try {
      return attempt.run(backend, lease);
    } catch (BanterException e) {
      lease.end(e);
      throw e;
    } catch (RuntimeException e) {
      BanterException wrapped = new dev.banter.api.BackendUnavailableException("Backend '" + name
          + "' failed unexpectedly: " + e, backend.id(), e);
      lease.end(wrapped);
      throw wrapped;
    }
  }

  private boolean retryable(Throwable e) {
    if (!(e instanceof BanterException) || e instanceof CallRefusedException) {
      return false;
    }
    if (e instanceof RateLimitedException) {
      Duration after = ((RateLimitedException) e).retryAfter().orElse(Duration.ZERO);
      if (after.compareTo(settings.maxRetryAfter()) > 0) {
        return false;
      }
    }
    return ((BanterException) e).retryable();
  }

  private long delayMillis(int attempt, Throwable error) {
    if (error instanceof RateLimitedException) {
      Duration after = ((RateLimitedException) error).retryAfter().orElse(null);
      if (after != null) {
        return after.toMillis();
      }
    }
    long base = settings.backoff(attempt).toMillis();
    double shrink = settings.jitter() * ThreadLocalRandom.current().nextDouble();
    return Math.round(base * (1 - shrink));
  }

  private final class LeaseImpl implements Lease {
    private final long startNanos;
    private final AtomicBoolean ended = new AtomicBoolean();

    LeaseImpl(long startNanos) {
      this.startNanos = startNanos;
    }

    @Override
    public void end(BanterException error) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      if (bulkhead != null) {
        bulkhead.onComplete();
      }
      if (breaker != null) {
        long elapsed = Math.max(0, time.nanoTime() - startNanos);
        if (error == null) {
          breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        } else {
          breaker.onError(elapsed, TimeUnit.NANOSECONDS, error);
        }
      }
    }
  }
}

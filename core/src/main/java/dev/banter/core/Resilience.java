package dev.banter.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a Banter runtime protects each call: retries with exponential backoff and jitter (honouring
 * a backend's {@code Retry-After}, and only before the first token reached the caller), a circuit
 * breaker per backend, an optional rate limit and concurrency limit per backend, and limits on
 * time to first token and on silence between tokens. Immutable and thread-safe.
 *
 * <pre>{@code
 * Resilience r = Resilience.builder()
 *     .maxAttempts(4).initialBackoff(Duration.ofMillis(200))
 *     .circuitBreaker(5, 50, Duration.ofSeconds(30))
 *     .firstTokenTimeout(Duration.ofSeconds(20)).build();
 * }</pre>
 */
public final class Resilience {
  private static final Resilience DEFAULTS = builder().build();
  private static final Resilience NONE = builder().maxAttempts(1).noCircuitBreaker()
      .firstTokenTimeout(Duration.ZERO).idleTimeout(Duration.ZERO).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Duration maxRetryAfter;
  private final int breakerMinimumCalls;
  private final int breakerFailureRatePercent;
  private final Duration breakerOpenDuration;
  private final int rateLimitPerSecond;
  private final Duration rateLimitWait;
  private final int maxConcurrentCalls;
  private final Duration firstTokenTimeout;
  private final Duration idleTimeout;

  private Resilience(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxRetryAfter = b.maxRetryAfter;
    this.breakerMinimumCalls = b.breakerMinimumCalls;
    this.breakerFailureRatePercent = b.breakerFailureRatePercent;
    this.breakerOpenDuration = b.breakerOpenDuration;
    this.rateLimitPerSecond = b.rateLimitPerSecond;
    this.rateLimitWait = b.rateLimitWait;
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.firstTokenTimeout = b.firstTokenTimeout;
    this.idleTimeout = b.idleTimeout;
  }

  /**
   * 3 attempts, backoff 0.5 s doubling to at most 8 s with 25 % jitter, Retry-After honoured up to
   * 120 s, a breaker opening at 50 % failures over the last 5 calls for 30 s, no rate
   * or concurrency limit, 120 s to the first token, 60 s of silence at most.
   */
  public static Resilience defaults() {
    return DEFAULTS;
  }

  /** One attempt, no breaker, no limits, no timeouts: failures reach the caller (or the fallback) at once. */
  public static Resilience none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.multiplier = multiplier;
    b.jitter = jitter;
    b.maxRetryAfter = maxRetryAfter;
    b.breakerMinimumCalls = breakerMinimumCalls;
    b.breakerFailureRatePercent = breakerFailureRatePercent;
    b.breakerOpenDuration = breakerOpenDuration;
    b.rateLimitPerSecond = rateLimitPerSecond;
    b.rateLimitWait = rateLimitWait;
    b.maxConcurrentCalls = maxConcurrentCalls;
    b.firstTokenTimeout = firstTokenTimeout;
    b.idleTimeout = idleTimeout;
    return b;
  }

  /** Attempts per backend, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double multiplier() {
    return multiplier;
  }

  /** Fraction (0..1) by which a backoff is randomly shortened. */
  public double jitter() {
    return jitter;
  }

  /** A backend asking to wait longer than this is not retried; the next backend is tried instead. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** Whether a circuit breaker guards each backend. */
  public boolean circuitBreakerEnabled() {
    return breakerMinimumCalls > 0;
  }

  /** Calls recorded before the breaker may open; also the size of its sliding window. */
  public int breakerMinimumCalls() {
    return breakerMinimumCalls;
  }

  public int breakerFailureRatePercent() {
    return breakerFailureRatePercent;
  }

  public Duration breakerOpenDuration() {
    return breakerOpenDuration;
  }

  /** Calls per second allowed per backend, 0 for no limit. */
  public int rateLimitPerSecond() {
    return rateLimitPerSecond;
  }

  /** How long a call may wait for a rate-limit permit before failing. */
  public Duration rateLimitWait() {
    return rateLimitWait;
  }

  /** Concurrent calls (streams count until they end) per backend, 0 for no limit. */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /** Longest wait for the first token of a stream; zero for none. */
  public Duration firstTokenTimeout() {
    return firstTokenTimeout;
  }

  /** Longest silence between two tokens of a stream (while the caller asks for more); zero for none. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * The wait before attempt {@code attempt + 1} after {@code attempt} failures, without jitter:
   * {@code min(initialBackoff * multiplier^(attempt-1), maxBackoff)}.
   */
  public Duration backoff(int attempt) {
    double ms = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return Duration.ofMillis((long) Math.min(ms, maxBackoff.toMillis()));
  }

  @Override
  public String toString() {
    return "Resilience{attempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff
        + ", breaker=" + (circuitBreakerEnabled() ? breakerFailureRatePercent + "%/" + breakerMinimumCalls : "off")
        + ", rate=" + (rateLimitPerSecond > 0 ? rateLimitPerSecond + "/s" : "off")
        + ", concurrency=" + (maxConcurrentCalls > 0 ? maxConcurrentCalls : "off")
        + ", ttft=" + firstTokenTimeout + ", idle=" + idleTimeout + '}';
  }

  /** Collects settings; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private double multiplier = 2;
    private double jitter = 0.25;
    private Duration maxRetryAfter = Duration.ofSeconds(120);
    private int breakerMinimumCalls = 5;
    private int breakerFailureRatePercent = 50;
    private Duration breakerOpenDuration = Duration.ofSeconds(30);
    private int rateLimitPerSecond;
    private Duration rateLimitWait = Duration.ZERO;
    private int maxConcurrentCalls;
    private Duration firstTokenTimeout = Duration.ofSeconds(120);
    private Duration idleTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** @param attempts >= 1 (1 means no retry) */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = nonNegative("initialBackoff", backoff);
      return this;
    }

    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = nonNegative("maxBackoff", backoff);
      return this;
    }

    /** @param multiplier >= 1 */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1)) {
        throw new IllegalArgumentException("multiplier must be >= 1, got " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** @param jitter in [0, 1) */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter < 1)) {
        throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    public Builder maxRetryAfter(Duration max) {
      this.maxRetryAfter = nonNegative("maxRetryAfter", max);
      return this;
    }

    /**
     * Opens a backend's breaker when at least {@code failureRatePercent} of the last
     * {@code minimumCalls} calls failed; it stays open for {@code openDuration}, then lets a trial
     * call through.
     */
    public Builder circuitBreaker(int minimumCalls, int failureRatePercent, Duration openDuration) {
      if (minimumCalls < 1) {
        throw new IllegalArgumentException("minimumCalls must be >= 1, got " + minimumCalls);
      }
      if (failureRatePercent < 1 || failureRatePercent > 100) {
        throw new IllegalArgumentException("failureRatePercent must be in [1, 100], got " + failureRatePercent);
      }
      Objects.requireNonNull(openDuration, "openDuration");
      if (openDuration.isNegative() || openDuration.isZero()) {
        throw new IllegalArgumentException("openDuration must be > 0, got " + openDuration);
      }
      this.breakerMinimumCalls = minimumCalls;
      this.breakerFailureRatePercent = failureRatePercent;
      this.breakerOpenDuration = openDuration;
      return this;
    }

    public Builder noCircuitBreaker() {
      this.breakerMinimumCalls = 0;
      return this;
    }

    /** @param perSecond calls per second per backend, 0 for none; {@code wait} the longest wait for a permit */
    public Builder rateLimit(int perSecond, Duration wait) {
      if (perSecond < 0) {
        throw new IllegalArgumentException("rate limit must be >= 0, got " + perSecond);
      }
      this.rateLimitPerSecond = perSecond;
      this.rateLimitWait = nonNegative("rate limit wait", wait);
      return this;
    }

    /** @param calls concurrent calls per backend, 0 for no limit */
    public Builder maxConcurrentCalls(int calls) {
      if (calls < 0) {
        throw new IllegalArgumentException("maxConcurrentCalls must be >= 0, got " + calls);
      }
      this.maxConcurrentCalls = calls;
      return this;
    }

    /** Zero disables the limit. */
    public Builder firstTokenTimeout(Duration timeout) {
      this.firstTokenTimeout = nonNegative("firstTokenTimeout", timeout);
      return this;
    }

    /** Zero disables the limit. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = nonNegative("idleTimeout", timeout);
      return this;
    }

    /** @throws IllegalArgumentException if maxBackoff is below initialBackoff */
    public Resilience build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must be >= initialBackoff ("
            + initialBackoff + ")");
      }
      return new Resilience(this);
    }

    private static Duration nonNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + d);
      }
      return d;
    }
  }
}

package dev.banter.api;

import java.time.Duration;
import java.util.Optional;

/**
 * The backend asked the caller to slow down (HTTP 429, a full local queue). Retryable; when the
 * backend said how long to wait, {@link #retryAfter()} has it. Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (RateLimitedException e) {
 *   Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
 *   scheduler.schedule(this::again, wait.toMillis(), TimeUnit.MILLISECONDS);
 * }
 * }</pre>
 */
public class RateLimitedException extends BanterException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param retryAfter how long the backend asked to wait, or {@code null} when it did not say
   */
  public RateLimitedException(String message, String backendId, Duration retryAfter, Throwable cause) {
    super(message, backendId, cause);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must be >= 0, got " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** How long the backend asked the caller to wait before trying again, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}

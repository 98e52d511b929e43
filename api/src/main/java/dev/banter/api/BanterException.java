package dev.banter.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The root of every error Banter reports: the single catch point for applications.
 * Instances are immutable and safe to share between threads. Messages say what went wrong and
 * what to do next; they never contain an API key or other secret.
 *
 * <pre>{@code
 * try {
 *   model.chat(ChatRequest.of("Hi"));
 * } catch (RateLimitedException e) {
 *   e.retryAfter().ifPresent(wait -> scheduleRetry(wait));
 * } catch (BanterException e) {
 *   log.warn("chat failed ({}): {}", e.backendId().orElse("?"), e.getMessage());
 * }
 * }</pre>
 */
public class BanterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String backendId;

  public BanterException(String message) {
    this(message, null, null);
  }

  public BanterException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /**
   * @param message what happened and what to do; must not contain secrets
   * @param backendId the id of the backend that failed, or {@code null} when not tied to one
   * @param cause the underlying error, or {@code null}
   */
  public BanterException(String message, String backendId, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.backendId = backendId;
  }

  /** The id of the backend this error came from (for example {@code xai}), when known. */
  public Optional<String> backendId() {
    return Optional.ofNullable(backendId);
  }

  /**
   * Whether repeating the same request later may succeed. Banter's own retries use this; they
   * only ever retry before the first token reached the caller.
   */
  public boolean retryable() {
    return false;
  }
}

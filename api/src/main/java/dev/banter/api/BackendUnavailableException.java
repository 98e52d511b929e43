package dev.banter.api;

/**
 * The backend could not serve the request right now: connection refused or reset, HTTP 5xx, an
 * open circuit breaker, a full bulkhead. Retryable; Banter's retries and fallback chain act on
 * it before the first token. Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (BackendUnavailableException e) {
 *   System.err.println(e.backendId().orElse("backend") + " is down: " + e.getMessage());
 * }
 * }</pre>
 */
public class BackendUnavailableException extends BanterException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message, String backendId, Throwable cause) {
    super(message, backendId, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}

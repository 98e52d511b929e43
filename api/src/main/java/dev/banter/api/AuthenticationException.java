package dev.banter.api;

/**
 * The backend refused the credentials (HTTP 401/403, a missing or revoked API key). Not
 * retryable: fix the key. Immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *   model.chat(request);
 * } catch (AuthenticationException e) {
 *   System.err.println("Check XAI_API_KEY: " + e.getMessage());
 * }
 * }</pre>
 */
public class AuthenticationException extends BanterException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message, String backendId, Throwable cause) {
    super(message, backendId, cause);
  }
}

package dev.banter.api;

/**
 * A backend answered with something that breaks its protocol: a malformed SSE stream, a JSON
 * chunk that does not parse, an event over the size limit, a stream that ended without its
 * terminator. Retryable (the next attempt may be fine) only before the first token reached the
 * caller. Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (ProtocolException e) {
 *   log.warn("backend spoke nonsense: {}", e.getMessage());
 * }
 * }</pre>
 */
public class ProtocolException extends BanterException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message, String backendId, Throwable cause) {
    super(message, backendId, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}

package dev.banter.api;

import java.util.Optional;

/**
 * The request itself is wrong (an unknown model name, an option out of range, a tool schema the
 * backend rejects). Not retryable: change the request. Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (InvalidRequestException e) {
 *   e.parameter().ifPresent(p -> System.err.println("bad parameter: " + p));
 * }
 * }</pre>
 */
public class InvalidRequestException extends BanterException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  /**
   * @param parameter the offending request parameter (for example {@code model}), or {@code null}
   */
  public InvalidRequestException(String message, String backendId, String parameter, Throwable cause) {
    super(message, backendId, cause);
    this.parameter = parameter;
  }

  /** The request parameter at fault, when known. */
  public Optional<String> parameter() {
    return Optional.ofNullable(parameter);
  }
}

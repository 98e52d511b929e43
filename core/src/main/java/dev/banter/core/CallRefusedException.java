package dev.banter.core;

import dev.banter.api.BackendUnavailableException;

/**
 * A backend's own guard refused the call before it reached the backend (open circuit breaker,
 * full bulkhead, rate limit): not worth retrying on the same backend, worth falling back.
 */
final class CallRefusedException extends BackendUnavailableException {
  private static final long serialVersionUID = 1L;

  CallRefusedException(String message, String backendId) {
    super(message, backendId, null);
  }
}

package dev.banter.template;

/**
 * A failure while evaluating, not yet tied to a template position. The nearest node that knows its
 * position turns it into a {@link TemplateException}. Carries no stack trace: it is control flow
 * inside the renderer, never seen by callers.
 */
final class EvalError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The template's own message when it came from {@code raise_exception}, else {@code null}. */
  final String raised;

  EvalError(String message) {
    this(message, null);
  }

  private EvalError(String message, String raised) {
    super(message, null, false, false);
    this.raised = raised;
  }

  static EvalError raised(String reason) {
    return new EvalError("the chat template raised an error: " + reason, reason);
  }
}

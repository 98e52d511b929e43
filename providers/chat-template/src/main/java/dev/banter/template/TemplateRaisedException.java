package dev.banter.template;

import java.util.Objects;

/**
 * The chat template refused the conversation by calling {@code raise_exception(message)}, as real
 * templates do when, for example, roles do not alternate or a role is not supported. The
 * conversation, not the template, has to change; {@link #reason()} is the template's own words.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (TemplateRaisedException e) {
 *   return badRequest("the model's chat template rejected the conversation: " + e.reason());
 * }
 * }</pre>
 */
public class TemplateRaisedException extends TemplateException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public TemplateRaisedException(String message, String reason, int line, int column) {
    super(message, line, column, null);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The message the template passed to {@code raise_exception}. */
  public String reason() {
    return reason;
  }
}

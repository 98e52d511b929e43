package dev.banter.template;

import java.util.OptionalInt;

/**
 * A chat template could not be rendered: the template misused a value (for example called a method
 * on an undefined variable), the values given to it did not fit, or it exceeded one of the renderer's
 * limits. The message starts with the template position (line and column, both from 1) where the
 * failure happened. Subtypes say when the template itself is malformed
 * ({@link TemplateSyntaxException}) or deliberately refused the conversation
 * ({@link TemplateRaisedException}). Immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *   prompt = template.render(messages, true, "<s>", "</s>", Map.of());
 * } catch (TemplateException e) {
 *   log.warning("chat template failed at line " + e.line().orElse(-1) + ": " + e.getMessage());
 * }
 * }</pre>
 */
public class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  /**
   * @param message what happened and what to do
   * @param line the 1-based template line, or a value below 1 when no position applies
   * @param column the 1-based template column, or a value below 1 when no position applies
   */
  public TemplateException(String message, int line, int column, Throwable cause) {
    super(message, cause);
    this.line = line;
    this.column = column;
  }

  /** The 1-based line in the template source where the problem was found, when known. */
  public OptionalInt line() {
    return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
  }

  /** The 1-based column in the template source where the problem was found, when known. */
  public OptionalInt column() {
    return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
  }
}

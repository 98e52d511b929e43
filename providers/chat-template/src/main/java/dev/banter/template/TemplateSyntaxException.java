package dev.banter.template;

/**
 * A chat template's source is not a valid template: an unclosed tag or string, an unknown tag,
 * filter or test, an unbalanced block, or nesting deeper than the renderer allows. Thrown by
 * {@link ChatTemplate#parse(String)}; the message and {@link #line()}/{@link #column()} point at the
 * offending spot. Fix or replace the template (for a model file, pass another template).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *   ChatTemplate.parse(source);
 * } catch (TemplateSyntaxException e) {
 *   System.err.println("template error at " + e.line().getAsInt() + ":" + e.column().getAsInt());
 * }
 * }</pre>
 */
public class TemplateSyntaxException extends TemplateException {
  private static final long serialVersionUID = 1L;

  public TemplateSyntaxException(String message, int line, int column) {
    super(message, line, column, null);
  }
}

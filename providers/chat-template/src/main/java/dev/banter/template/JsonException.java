package dev.banter.template;


/**
 * Text given to {@link Json#parse(String)} is not valid JSON (RFC 8259) or nests deeper than the
 * reader allows. The message names the line, column and offset of the first problem and what was
 * expected there. Immutable and thread-safe.
 *
 * <pre>{@code
 * try {
 *   Object value = Json.parse(text);
 * } catch (JsonException e) {
 *   System.err.println("bad JSON at offset " + e.offset() + ": " + e.getMessage());
 * }
 * }</pre>
 */
public class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final int line;
  private final int column;

  public JsonException(String message, int offset, int line, int column) {
    super(message);
    this.offset = offset;
    this.line = line;
    this.column = column;
  }

  /** The 0-based char offset of the problem in the text. */
  public int offset() {
    return offset;
  }

  /** The 1-based line of the problem. */
  public int line() {
    return line;
  }

  /** The 1-based column of the problem. */
  public int column() {
    return column;
  }
}

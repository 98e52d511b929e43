package dev.banter.local.grammar;

/**
 * A grammar or JSON Schema that cannot be compiled; the message names the place at fault (line
 * and column and rule, or the schema location). Backends translate it into an
 * {@code InvalidRequestException}.
 *
 * <pre>{@code
 * try { Grammar.parse(text); } catch (GrammarException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public final class GrammarException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public GrammarException(String message) {
    super(message);
  }
}

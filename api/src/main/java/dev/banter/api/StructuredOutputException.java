package dev.banter.api;

import java.util.Objects;

/**
 * The model's answer to a request for structured output (a JSON Schema response format) could
 * not be turned into the requested value: it was not JSON, or it broke the schema (a missing
 * required field, a wrong type, an unknown property). Thrown after any repair attempts were used
 * up. Not retryable as such: the same request may well fail the same way; rephrase the prompt,
 * simplify the type, allow more repair attempts, or use a backend that enforces the schema.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (StructuredOutputException e) {
 *   log.warn("{} after {} attempts; the model said: {}", e.problem(), e.attempts(), e.rawText());
 * }
 * }</pre>
 */
public class StructuredOutputException extends BanterException {
  private static final long serialVersionUID = 1L;

  /** How much of the model's text a message quotes; {@link #rawText()} has all of it. */
  public static final int QUOTED_CHARS = 200;

  private final String schemaName;
  private final String problem;
  private final String rawText;
  private final int attempts;

  /**
   * @param schemaName the name of the schema the answer had to match
   * @param problem what is wrong with the answer, for example {@code $.city: required property missing}
   * @param rawText the model's whole answer
   * @param attempts how many answers were tried (1 plus the repair attempts made)
   */
  public StructuredOutputException(String schemaName, String problem, String rawText, int attempts,
      String backendId, Throwable cause) {
    super(message(schemaName, problem, rawText, attempts), backendId, cause);
    this.schemaName = Objects.requireNonNull(schemaName, "schemaName");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.rawText = Objects.requireNonNull(rawText, "rawText");
    this.attempts = attempts;
  }

  private static String message(String schemaName, String problem, String rawText, int attempts) {
    String quoted = rawText.length() <= QUOTED_CHARS
        ? rawText
        : rawText.substring(0, QUOTED_CHARS) + "... (" + rawText.length() + " chars in all)";
    return "The model's answer does not match schema '" + schemaName + "' (" + attempts
        + (attempts == 1 ? " attempt" : " attempts") + "): " + problem + ". Answer: " + quoted
        + ". Make the prompt ask for this JSON, simplify the type, allow repair attempts, or use a backend"
        + " that enforces JSON Schema.";
  }

  /** The name of the schema the answer had to match. */
  public String schemaName() {
    return schemaName;
  }

  /** What is wrong with the last answer, with a JSON path where there is one. */
  public String problem() {
    return problem;
  }

  /** The model's last answer, in full. */
  public String rawText() {
    return rawText;
  }

  /** How many answers were tried: the first one plus each repair attempt. */
  public int attempts() {
    return attempts;
  }
}

package dev.banter.api;

import java.util.OptionalInt;

/**
 * The prompt does not fit the model's context window. Not retryable as is: shorten the prompt,
 * use a {@link Conversation} with a token budget, or choose a model with a larger context.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (ContextLengthExceededException e) {
 *   System.err.printf("prompt %s tokens, limit %s%n",
 *       e.promptTokens().orElse(-1), e.contextLimit().orElse(-1));
 * }
 * }</pre>
 */
public class ContextLengthExceededException extends BanterException {
  private static final long serialVersionUID = 1L;

  private final int promptTokens;
  private final int contextLimit;

  /**
   * @param promptTokens the prompt's size in tokens, or a negative number when unknown
   * @param contextLimit the model's context size in tokens, or a negative number when unknown
   */
  public ContextLengthExceededException(
      String message, String backendId, int promptTokens, int contextLimit, Throwable cause) {
    super(message, backendId, cause);
    this.promptTokens = promptTokens;
    this.contextLimit = contextLimit;
  }

  /** The size of the rejected prompt in tokens, when the backend reported it. */
  public OptionalInt promptTokens() {
    return promptTokens < 0 ? OptionalInt.empty() : OptionalInt.of(promptTokens);
  }

  /** The model's context window in tokens, when the backend reported it. */
  public OptionalInt contextLimit() {
    return contextLimit < 0 ? OptionalInt.empty() : OptionalInt.of(contextLimit);
  }
}

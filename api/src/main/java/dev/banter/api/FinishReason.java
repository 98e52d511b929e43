package dev.banter.api;

/**
 * Why a generation ended. Immutable.
 *
 * <pre>{@code
 * if (response.finishReason() == FinishReason.LENGTH) {
 *   System.out.println("(answer cut at maxTokens)");
 * }
 * }</pre>
 */
public enum FinishReason {
  /** The model ended its answer or produced a stop sequence. */
  STOP,
  /** The token limit (maxTokens or the context window) was reached. */
  LENGTH,
  /** The model asked for tool calls. */
  TOOL_CALLS,
  /** The caller cancelled the stream; the response holds what was generated until then. */
  CANCELLED,
  /** The backend withheld content by policy. */
  CONTENT_FILTER,
  /** The generation failed after it had started; the response holds the partial answer. */
  ERROR
}

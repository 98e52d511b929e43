package dev.banter.api;

/**
 * Tokens a call consumed: prompt tokens (of which some may have come from a cache), generated
 * tokens, and of those the hidden reasoning tokens some models bill separately. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * response.usage().ifPresent(u -> System.out.printf("%d in (%d cached), %d out%n",
 *     u.promptTokens(), u.cachedPromptTokens(), u.completionTokens()));
 * }</pre>
 *
 * @param promptTokens tokens in the prompt
 * @param completionTokens tokens generated, reasoning tokens included where the backend counts them
 * @param cachedPromptTokens prompt tokens served from a cache (prefix reuse), not recomputed
 * @param reasoningTokens generated tokens spent on hidden reasoning
 */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens, int reasoningTokens) {
  /** @throws IllegalArgumentException if a count is negative */
  public Usage {
    if (promptTokens < 0 || completionTokens < 0 || cachedPromptTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0, got prompt=" + promptTokens
          + ", completion=" + completionTokens + ", cached=" + cachedPromptTokens
          + ", reasoning=" + reasoningTokens);
    }
  }

  /** Prompt and completion tokens only. */
  public static Usage of(int promptTokens, int completionTokens) {
    return new Usage(promptTokens, completionTokens, 0, 0);
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}

package dev.banter.api;

/**
 * Tokens a call consumed: prompt tokens (of which some may have come from a cache), generated
 * tokens, and of those the hidden reasoning tokens some models bill separately. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Usage u = response.usage();
 * System.out.printf("%d in (%d cached), %d out%n",
 *     u.promptTokens(), u.cachedPromptTokens(), u.completionTokens());
 * }</pre>
 */
public final class Usage {
  private static final Usage EMPTY = new Usage(0, 0, 0, 0);

  private final int promptTokens;
  private final int completionTokens;
  private final int cachedPromptTokens;
  private final int reasoningTokens;

  public Usage(int promptTokens, int completionTokens, int cachedPromptTokens, int reasoningTokens) {
    if (promptTokens < 0 || completionTokens < 0 || cachedPromptTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0, got prompt=" + promptTokens
          + ", completion=" + completionTokens + ", cached=" + cachedPromptTokens
          + ", reasoning=" + reasoningTokens);
    }
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
    this.cachedPromptTokens = cachedPromptTokens;
    this.reasoningTokens = reasoningTokens;
  }

  /** Prompt and completion tokens only. */
  public static Usage of(int promptTokens, int completionTokens) {
    return new Usage(promptTokens, completionTokens, 0, 0);
  }

  /** No tokens counted (for example when the backend did not report usage). */
  public static Usage empty() {
    return EMPTY;
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }

  /** Tokens in the prompt. */
  public int promptTokens() {
    return promptTokens;
  }

  /** Tokens generated, including reasoning tokens where the backend counts them. */
  public int completionTokens() {
    return completionTokens;
  }

  /** Prompt tokens served from a cache (prefix reuse), not recomputed. */
  public int cachedPromptTokens() {
    return cachedPromptTokens;
  }

  /** Generated tokens spent on hidden reasoning, 0 when none or unknown. */
  public int reasoningTokens() {
    return reasoningTokens;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Usage)) {
      return false;
    }
    Usage o = (Usage) other;
    return promptTokens == o.promptTokens
        && completionTokens == o.completionTokens
        && cachedPromptTokens == o.cachedPromptTokens
        && reasoningTokens == o.reasoningTokens;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(promptTokens, completionTokens, cachedPromptTokens, reasoningTokens);
  }

  @Override
  public String toString() {
    return "Usage[" + "promptTokens=" + promptTokens + ", " + "completionTokens=" + completionTokens + ", " + "cachedPromptTokens=" + cachedPromptTokens + ", " + "reasoningTokens=" + reasoningTokens + "]";
  }
}

package dev.banter.openai;

/**
 * Token counts as servers report them. SGLang adds a top-level {@code reasoning_tokens}; OpenAI
 * and xAI put them in {@code completion_tokens_details}.
 */
final class WireUsage {
  Integer promptTokens;
  Integer completionTokens;
  Integer totalTokens;
  Integer reasoningTokens;
  PromptDetails promptTokensDetails;
  CompletionDetails completionTokensDetails;

  static final class PromptDetails {
    Integer cachedTokens;
  }

  static final class CompletionDetails {
    Integer reasoningTokens;
  }

  static int nonNegative(Integer n) {
    return n == null || n < 0 ? 0 : n;
  }

  int reasoning() {
    if (completionTokensDetails != null && completionTokensDetails.reasoningTokens != null) {
      return nonNegative(completionTokensDetails.reasoningTokens);
    }
    return nonNegative(reasoningTokens);
  }

  int cached() {
    return promptTokensDetails == null ? 0 : nonNegative(promptTokensDetails.cachedTokens);
  }
}

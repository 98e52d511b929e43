package dev.banter.openai;

/**
 * The variant of the OpenAI chat protocol a server speaks, where the variants differ in what a
 * client sends or how it reads usage. Everything else (reasoning field names, tool-call
 * chunking, error shapes, usage placement) is normalised for all dialects alike. Immutable.
 *
 * <pre>{@code
 * OpenAiClient client = OpenAiClient.builder("xai")
 *     .endpoint(Endpoint.parse("https://api.x.ai/v1")).dialect(Dialect.XAI).build();
 * }</pre>
 */
public enum Dialect {
  /**
   * OpenAI's own API: the token limit goes out as {@code max_completion_tokens}; the sampling
   * fields OpenAI does not know ({@code top_k}, {@code min_p}, {@code repetition_penalty}) are
   * left out, since OpenAI rejects unknown parameters.
   */
  OPENAI("max_completion_tokens", false, false),
  /**
   * xAI's Grok API: like OpenAI, except that its {@code completion_tokens} exclude reasoning
   * tokens; Banter adds them back so that {@code Usage.completionTokens()} means the same
   * everywhere.
   */
  XAI("max_completion_tokens", false, true),
  /**
   * Self-hosted servers (vLLM, llama.cpp server, TGI, SGLang, Ollama): {@code max_tokens},
   * which every one of them accepts, and the extra sampling fields {@code top_k}, {@code min_p},
   * {@code repetition_penalty} (also sent as llama.cpp's {@code repeat_penalty}).
   */
  SELF_HOSTED("max_tokens", true, false);

  private final String maxTokensField;
  private final boolean extraSampling;
  private final boolean completionExcludesReasoning;

  Dialect(String maxTokensField, boolean extraSampling, boolean completionExcludesReasoning) {
    this.maxTokensField = maxTokensField;
    this.extraSampling = extraSampling;
    this.completionExcludesReasoning = completionExcludesReasoning;
  }

  /** The request field carrying the token limit. */
  public String maxTokensField() {
    return maxTokensField;
  }

  /** Whether {@code top_k}, {@code min_p} and the repetition penalty are sent. */
  public boolean sendsExtraSampling() {
    return extraSampling;
  }

  /** Whether the server's {@code completion_tokens} leave out the reasoning tokens. */
  public boolean completionTokensExcludeReasoning() {
    return completionExcludesReasoning;
  }
}

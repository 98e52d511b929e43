package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A {@code POST /v1/chat/completions} body, as the client sends it and as the server reads it.
 * {@code stop}, {@code tool_choice} and {@code response_format} take several shapes and are
 * kept as nodes.
 */
final class WireRequest {
  String model;
  List<WireMessage> messages;
  Double temperature;
  Double topP;
  Integer topK;
  Double minP;
  Double repetitionPenalty;
  /** llama.cpp's name for {@link #repetitionPenalty}. */
  Double repeatPenalty;
  Double presencePenalty;
  Double frequencyPenalty;
  Long seed;
  Boolean logprobs;
  Integer topLogprobs;
  /** llama.cpp's, vLLM's and SGLang's variables for the chat template, e.g. {@code enable_thinking}. */
  JsonNode chatTemplateKwargs;
  /** OpenAI's; {@code none} turns thinking off. */
  String reasoningEffort;
  Integer maxTokens;
  Integer maxCompletionTokens;
  Integer n;
  JsonNode stop;
  Boolean stream;
  StreamOptions streamOptions;
  List<WireTool> tools;
  JsonNode toolChoice;
  JsonNode responseFormat;
  /**
   * A hint that several tool calls may come in one turn. The api has no such setting: the server
   * accepts it and ignores it (a model calls as many tools as it does), the client never sends it.
   */
  Boolean parallelToolCalls;
  /** Banter's own extension, read by the server only: the persona to answer as. */
  String persona;

  static final class StreamOptions {
    Boolean includeUsage;
  }
}

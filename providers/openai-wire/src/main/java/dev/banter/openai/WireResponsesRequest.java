package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A {@code POST /v1/responses} body as the server reads it. {@code input}, {@code tools},
 * {@code tool_choice}, {@code text} and {@code reasoning} take several shapes and are kept as
 * nodes; {@link ResponsesRequestMapper} validates them and names the offending parameter.
 */
final class WireResponsesRequest {
  String model;
  /** A string (one user message) or an array of items: messages, function calls and their outputs. */
  JsonNode input;
  String instructions;
  List<JsonNode> tools;
  JsonNode toolChoice;
  /** {@code {"format": {"type": "text" | "json_object" | "json_schema", ...}}}. */
  JsonNode text;
  Integer maxOutputTokens;
  Double temperature;
  Double topP;
  /** 0 to 20 alternatives per output token; logprobs come back when above 0 or when {@link #include} asks. */
  Integer topLogprobs;
  /** Extra output to include; {@code message.output_text.logprobs} turns log probabilities on. */
  List<String> include;
  Boolean stream;
  String previousResponseId;
  Boolean store;
  /**
   * {@code {"effort", "summary"}}: echoed; an {@code effort} of {@code none} turns thinking off, as
   * {@code reasoning_effort} does on chat completions.
   */
  JsonNode reasoning;
  /** A hint; the api has no such setting, so it is accepted, echoed and otherwise ignored. */
  Boolean parallelToolCalls;
  Boolean background;
  /** The Conversations API's conversation, which this server does not keep. */
  JsonNode conversation;
  JsonNode metadata;
  String user;
  /** Banter's own extension, as on chat completions: the persona to answer as. */
  String persona;
}

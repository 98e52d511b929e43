package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A chat message, and also a streamed {@code delta}: role, content (a string, null, or an array
 * of content parts), tool calls, the id of the call a tool result answers, and the reasoning
 * text some servers return as {@code reasoning_content} (llama.cpp, SGLang, xAI, DeepSeek) or
 * {@code reasoning} (vLLM, Ollama).
 */
final class WireMessage {
  String role;
  JsonNode content;
  String name;
  List<WireToolCall> toolCalls;
  String toolCallId;
  String reasoningContent;
  String reasoning;
  String refusal;

  /** The text of {@code content}: a string, or the text parts of an array joined; empty when none. */
  String contentText() {
    if (content == null || content.isNull() || content.isMissingNode()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.isTextual()) {
          sb.append(part.textValue());
        } else if ("text".equals(part.path("type").asText("text")) && part.has("text")) {
          sb.append(part.get("text").asText());
        }
      }
      return sb.toString();
    }
    return content.asText();
  }

  /** Reasoning text under either of its names; empty when none. */
  String reasoningText() {
    if (reasoningContent != null && !reasoningContent.isEmpty()) {
      return reasoningContent;
    }
    return reasoning == null ? "" : reasoning;
  }
}

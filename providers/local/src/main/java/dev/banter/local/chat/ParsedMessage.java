package dev.banter.local.chat;

import dev.banter.api.FinishReason;
import dev.banter.api.ToolCall;
import java.util.List;
import java.util.Objects;

/**
 * An assistant message read out of a model's raw output: the answer text, the reasoning text and
 * the tool calls. Immutable and thread-safe.
 *
 * <pre>{@code
 * ParsedMessage m = ChatFormat.detect(template).parse(prompt, output);
 * FinishReason reason = m.finishReason(FinishReason.STOP);
 * }</pre>
 *
 * @param content the answer text, trimmed
 * @param reasoning the reasoning text, trimmed; empty when the model did not reason aloud
 * @param toolCalls the calls, with their arguments as JSON object text
 */
public record ParsedMessage(String content, String reasoning, List<ToolCall> toolCalls) {
  public ParsedMessage {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(reasoning, "reasoning");
    toolCalls = List.copyOf(toolCalls);
  }

  /** Whether the model asked for at least one tool call. */
  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  /** {@link FinishReason#TOOL_CALLS} when the message holds calls, else {@code otherwise}. */
  public FinishReason finishReason(FinishReason otherwise) {
    return hasToolCalls() ? FinishReason.TOOL_CALLS : Objects.requireNonNull(otherwise, "otherwise");
  }
}

package dev.banter.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One increment of a streamed answer: new answer text, new reasoning text, and fragments of
 * tool calls. A chunk may carry several tokens at once. Immutable and thread-safe.
 *
 * <pre>{@code
 * try (ChatStream stream = model.stream(ChatRequest.of("Tell me a story."))) {
 *   for (ChatChunk chunk : stream) {
 *     System.out.print(chunk.text());
 *   }
 * }
 * }</pre>
 */
public final class ChatChunk {
  private final String text;
  private final String reasoning;
  private final List<ToolCallDelta> toolCalls;

  public ChatChunk(String text, String reasoning, List<ToolCallDelta> toolCalls) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(reasoning, "reasoning");
    toolCalls = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(toolCalls, "toolCalls")));
    this.text = text;
    this.reasoning = reasoning;
    this.toolCalls = toolCalls;
  }

  /** A chunk of answer text. */
  public static ChatChunk ofText(String text) {
    return new ChatChunk(text, "", List.of());
  }

  /** A chunk of reasoning text. */
  public static ChatChunk ofReasoning(String reasoning) {
    return new ChatChunk("", reasoning, List.of());
  }

  /** A chunk carrying one tool-call fragment. */
  public static ChatChunk ofToolCall(ToolCallDelta delta) {
    return new ChatChunk("", "", List.of(delta));
  }

  /** Whether the chunk carries nothing at all. */
  public boolean isEmpty() {
    return text.isEmpty() && reasoning.isEmpty() && toolCalls.isEmpty();
  }

  /** New answer text, possibly empty. */
  public String text() {
    return text;
  }

  /** New reasoning text (models that think aloud separately), possibly empty. */
  public String reasoning() {
    return reasoning;
  }

  /** Fragments of tool calls, possibly empty. */
  public List<ToolCallDelta> toolCalls() {
    return toolCalls;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ChatChunk)) {
      return false;
    }
    ChatChunk o = (ChatChunk) other;
    return text.equals(o.text)
        && reasoning.equals(o.reasoning)
        && toolCalls.equals(o.toolCalls);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(text, reasoning, toolCalls);
  }

  @Override
  public String toString() {
    return "ChatChunk[" + "text=" + text + ", " + "reasoning=" + reasoning + ", " + "toolCalls=" + toolCalls + "]";
  }
}

package dev.banter.api;

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
 *
 * @param text new answer text, possibly empty
 * @param reasoning new reasoning text (models that think aloud separately), possibly empty
 * @param toolCalls fragments of tool calls, possibly empty
 * @param logprobs the log probabilities of the tokens this chunk completes, when the request asked
 *     for them ({@link GenerationOptions#logprobs()}); otherwise empty
 */
public record ChatChunk(String text, String reasoning, List<ToolCallDelta> toolCalls, List<TokenLogprob> logprobs) {
  public ChatChunk {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(reasoning, "reasoning");
    toolCalls = List.copyOf(toolCalls);
    logprobs = List.copyOf(logprobs);
  }

  /** A chunk without log probabilities. */
  public ChatChunk(String text, String reasoning, List<ToolCallDelta> toolCalls) {
    this(text, reasoning, toolCalls, List.of());
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

  /** This chunk carrying {@code logprobs} instead of its own. */
  public ChatChunk withLogprobs(List<TokenLogprob> logprobs) {
    return new ChatChunk(text, reasoning, toolCalls, logprobs);
  }

  /** Whether the chunk carries nothing at all. */
  public boolean isEmpty() {
    return text.isEmpty() && reasoning.isEmpty() && toolCalls.isEmpty() && logprobs.isEmpty();
  }
}

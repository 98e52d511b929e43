package dev.banter.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A tool loop reached its step limit while the model still asked for tool calls. The
 * conversation so far (requests, the assistant's calls and the tool results) is kept in
 * {@link #messages()}, so the caller can inspect it or continue from it. Not retryable as such:
 * raise the limit, make the tools' results more conclusive, or force an answer with
 * {@link ToolChoice#none()}. Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (ToolLoopLimitException e) {
 *   ChatResponse last = model.chat(ChatRequest.builder().messages(e.messages())
 *       .tools(tools).toolChoice(ToolChoice.none()).build());
 * }
 * }</pre>
 */
public class ToolLoopLimitException extends BanterException {
  private static final long serialVersionUID = 1L;

  private final int maxSteps;
  private final transient List<Message> messages;

  /**
   * @param maxSteps the limit that was reached
   * @param messages the whole conversation, ending with the tool results of the last step
   */
  public ToolLoopLimitException(int maxSteps, List<Message> messages, String backendId) {
    super("The model still asked for tool calls after " + maxSteps + " steps, the loop's limit. Raise maxSteps,"
        + " make the tools' results more conclusive, or ask for a final answer with ToolChoice.none()"
        + " (messages() holds the conversation so far).", backendId, null);
    this.maxSteps = maxSteps;
    this.messages = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(messages, "messages")));
  }

  /** The step limit that was reached. */
  public int maxSteps() {
    return maxSteps;
  }

  /** The conversation so far, ending with the tool results of the last step; empty after deserialization. */
  public List<Message> messages() {
    return messages == null ? List.of() : messages;
  }
}

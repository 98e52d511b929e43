package dev.banter.core.tools;

import dev.banter.api.ChatResponse;
import dev.banter.api.Message;
import dev.banter.api.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a tool loop: the model's final answer, every step that led to it, and the whole
 * conversation, ready to continue. Immutable and thread-safe.
 *
 * <pre>{@code
 * ToolLoopResult r = loop.run("What should I wear in Oslo today?");
 * System.out.println(r.text() + " (" + r.steps().size() + " model calls)");
 * ChatRequest followUp = ChatRequest.builder().messages(r.messages()).user("And tomorrow?").build();
 * }</pre>
 */
public final class ToolLoopResult {
  private final List<ToolLoopStep> steps;
  private final List<Message> messages;

  ToolLoopResult(List<ToolLoopStep> steps, List<Message> messages) {
    this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
    this.messages = Collections.unmodifiableList(new ArrayList<>(messages));
  }

  /** The final response: the model answered without asking for tools. */
  public ChatResponse response() {
    return steps.get(steps.size() - 1).response();
  }

  /** The final answer's text. */
  public String text() {
    return response().text();
  }

  /** Each model call in order, with the tool calls answered after it; the last one has none. */
  public List<ToolLoopStep> steps() {
    return steps;
  }

  /**
   * The conversation: the request's messages, then per step the assistant's message (with its tool
   * calls) and one tool message per call, and last the final answer.
   */
  public List<Message> messages() {
    return messages;
  }

  /** The tokens of all steps together, when every step reported usage. */
  public Optional<Usage> usage() {
    int prompt = 0;
    int completion = 0;
    int cached = 0;
    int reasoning = 0;
    for (ToolLoopStep s : steps) {
      Optional<Usage> u = s.response().usage();
      if (!u.isPresent()) {
        return Optional.empty();
      }
      prompt += u.get().promptTokens();
      completion += u.get().completionTokens();
      cached += u.get().cachedPromptTokens();
      reasoning += u.get().reasoningTokens();
    }
    return Optional.of(new Usage(prompt, completion, cached, reasoning));
  }

  @Override
  public String toString() {
    return "ToolLoopResult{steps=" + steps.size() + ", final=" + response() + '}';
  }
}

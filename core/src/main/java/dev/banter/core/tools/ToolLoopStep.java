package dev.banter.core.tools;

import dev.banter.api.ChatResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One round of a tool loop: the model's response and the tool calls answered from it (none in
 * the final step). Immutable and thread-safe.
 *
 * <pre>{@code
 * for (ToolLoopStep step : result.steps()) {
 *   System.out.println(step.response().finishReason() + ": " + step.executions());
 * }
 * }</pre>
 */
public final class ToolLoopStep {
  private final ChatResponse response;
  private final List<ToolExecution> executions;

  ToolLoopStep(ChatResponse response, List<ToolExecution> executions) {
    this.response = Objects.requireNonNull(response, "response");
    this.executions = Collections.unmodifiableList(new ArrayList<>(executions));
  }

  /** The model's response in this step. */
  public ChatResponse response() {
    return response;
  }

  /** The calls of this step with their results, in the order the model gave them. */
  public List<ToolExecution> executions() {
    return executions;
  }

  @Override
  public String toString() {
    return "ToolLoopStep{" + response.finishReason() + ", " + executions + '}';
  }
}

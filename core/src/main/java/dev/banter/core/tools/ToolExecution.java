package dev.banter.core.tools;

import dev.banter.api.ToolCall;
import java.util.Objects;

/**
 * One tool call the loop answered: the call, the result text sent back to the model, and whether
 * that result reports an error (the tool threw, its arguments did not match its schema, or no tool
 * has that name). Immutable and thread-safe.
 *
 * <pre>{@code
 * for (ToolExecution e : result.steps().get(0).executions()) {
 *   System.out.println(e.call().name() + " -> " + e.result() + (e.failed() ? " (error)" : ""));
 * }
 * }</pre>
 */
public final class ToolExecution {
  private final ToolCall call;
  private final String result;
  private final boolean failed;

  ToolExecution(ToolCall call, String result, boolean failed) {
    this.call = Objects.requireNonNull(call, "call");
    this.result = Objects.requireNonNull(result, "result");
    this.failed = failed;
  }

  /** The model's call. */
  public ToolCall call() {
    return call;
  }

  /** The text sent to the model as the call's result; an {@code {"error": "..."}} object when {@link #failed()}. */
  public String result() {
    return result;
  }

  /** Whether the result reports an error instead of the tool's answer. */
  public boolean failed() {
    return failed;
  }

  @Override
  public String toString() {
    return call.name() + "(" + call.id() + ") -> " + (failed ? "error " : "") + result;
  }
}

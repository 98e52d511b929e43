package dev.banter.api;

import java.util.Objects;

/**
 * One function call the model asked for: an id to answer with, the function name and its
 * arguments as a JSON text. Immutable and thread-safe.
 *
 * <pre>{@code
 * for (ToolCall call : response.message().toolCalls()) {
 *   String result = tools.run(call.name(), call.arguments());
 *   conversation.send(Message.tool(call.id(), result));
 * }
 * }</pre>
 */
public final class ToolCall {
  private final String id;
  private final String name;
  private final String arguments;

  public ToolCall(String id, String name, String arguments) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tool call name must not be empty (id=" + id + ")");
    }
    this.id = id;
    this.name = name;
    this.arguments = arguments;
  }

  /** The call's id, echoed by the {@link Role#TOOL} message that answers it. */
  public String id() {
    return id;
  }

  /** The function to call. */
  public String name() {
    return name;
  }

  /** The arguments as JSON text (an object), exactly as the model produced them. */
  public String arguments() {
    return arguments;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ToolCall)) {
      return false;
    }
    ToolCall o = (ToolCall) other;
    return id.equals(o.id)
        && name.equals(o.name)
        && arguments.equals(o.arguments);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, name, arguments);
  }

  @Override
  public String toString() {
    return "ToolCall[" + "id=" + id + ", " + "name=" + name + ", " + "arguments=" + arguments + "]";
  }
}

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
 *
 * @param id the call's id, echoed by the {@link Role#TOOL} message that answers it
 * @param name the function to call
 * @param arguments the arguments as JSON text (an object), exactly as the model produced them
 */
public record ToolCall(String id, String name, String arguments) {
  /** @throws IllegalArgumentException if the name is empty */
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tool call name must not be empty (id=" + id + ")");
    }
  }
}

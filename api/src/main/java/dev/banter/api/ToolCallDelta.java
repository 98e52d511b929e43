package dev.banter.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A piece of a tool call as it streams: which call (by index), and whatever part of its id,
 * name or arguments this chunk carries. Concatenating the fragments of one index in order gives
 * the whole {@link ToolCall}. Immutable and thread-safe.
 *
 * <pre>{@code
 * for (ChatChunk c : stream) {
 *   for (ToolCallDelta d : c.toolCalls()) {
 *     args.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.argumentsFragment());
 *   }
 * }
 * }</pre>
 *
 * @param index the position of the call in the assistant message, from 0
 * @param id the call's id, when this fragment carries it
 * @param name the function name, when this fragment carries it
 * @param argumentsFragment the next part of the JSON arguments, possibly empty
 */
public record ToolCallDelta(int index, Optional<String> id, Optional<String> name, String argumentsFragment) {
  /** @throws IllegalArgumentException if the index is negative or the id or name is empty */
  public ToolCallDelta {
    if (index < 0) {
      throw new IllegalArgumentException("tool call index must be >= 0, got " + index);
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argumentsFragment, "argumentsFragment");
    if (id.filter(String::isEmpty).isPresent() || name.filter(String::isEmpty).isPresent()) {
      throw new IllegalArgumentException("a tool call delta's id and name are absent or non-empty (index " + index + ")");
    }
  }

  /** The fragment that opens call {@code index}: its id, its name, and perhaps the first arguments. */
  public static ToolCallDelta start(int index, String id, String name, String argumentsFragment) {
    return new ToolCallDelta(index, Optional.of(id), Optional.of(name), argumentsFragment);
  }

  /** A further piece of the arguments of call {@code index}. */
  public static ToolCallDelta arguments(int index, String argumentsFragment) {
    return new ToolCallDelta(index, Optional.empty(), Optional.empty(), argumentsFragment);
  }

  /** A whole tool call delivered as one fragment. */
  public static ToolCallDelta of(int index, ToolCall call) {
    return start(index, call.id(), call.name(), call.arguments());
  }
}

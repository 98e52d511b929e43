package dev.banter.api;

import java.util.Objects;

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
 */
public final class ToolCallDelta {
  private final int index;
  private final String id;
  private final String name;
  private final String argumentsFragment;

  public ToolCallDelta(int index, String id, String name, String argumentsFragment) {
    if (index < 0) {
      throw new IllegalArgumentException("tool call index must be >= 0, got " + index);
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argumentsFragment, "argumentsFragment");
    this.index = index;
    this.id = id;
    this.name = name;
    this.argumentsFragment = argumentsFragment;
  }

  /** A whole tool call delivered as one fragment. */
  public static ToolCallDelta of(int index, ToolCall call) {
    return new ToolCallDelta(index, call.id(), call.name(), call.arguments());
  }

  /** The position of the call in the assistant message, from 0. */
  public int index() {
    return index;
  }

  /** The call's id, or empty when this fragment does not carry it. */
  public String id() {
    return id;
  }

  /** The function name, or empty when this fragment does not carry it. */
  public String name() {
    return name;
  }

  /** The next part of the JSON arguments, possibly empty. */
  public String argumentsFragment() {
    return argumentsFragment;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ToolCallDelta)) {
      return false;
    }
    ToolCallDelta o = (ToolCallDelta) other;
    return index == o.index
        && id.equals(o.id)
        && name.equals(o.name)
        && argumentsFragment.equals(o.argumentsFragment);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(index, id, name, argumentsFragment);
  }

  @Override
  public String toString() {
    return "ToolCallDelta[" + "index=" + index + ", " + "id=" + id + ", " + "name=" + name + ", " + "argumentsFragment=" + argumentsFragment + "]";
  }
}

package dev.banter.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether and which tool the model must call. Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatRequest r = ChatRequest.builder().user("Weather in Oslo?")
 *     .tools(weather).toolChoice(ToolChoice.function("get_weather")).build();
 * }</pre>
 */
public final class ToolChoice {
  /**
   * How the choice constrains the model.
   *
   * <pre>{@code
   * boolean mustCall = choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.FUNCTION;
   * }</pre>
   */
  public enum Mode {
    /** The model decides (the default when tools are given). */
    AUTO,
    /** The model must not call tools. */
    NONE,
    /** The model must call at least one tool. */
    REQUIRED,
    /** The model must call the named function. */
    FUNCTION
  }

  private static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  private static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  private static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  private final Mode mode;
  private final String function;

  private ToolChoice(Mode mode, String function) {
    this.mode = mode;
    this.function = function;
  }

  public static ToolChoice auto() {
    return AUTO;
  }

  public static ToolChoice none() {
    return NONE;
  }

  public static ToolChoice required() {
    return REQUIRED;
  }

  /** The model must call the function with this name. */
  public static ToolChoice function(String name) {
    return new ToolChoice(Mode.FUNCTION, Objects.requireNonNull(name, "name"));
  }

  public Mode mode() {
    return mode;
  }

  /** The function the model must call, for {@link Mode#FUNCTION}. */
  public Optional<String> function() {
    return Optional.ofNullable(function);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolChoice tc
        && tc.mode == mode
        && Objects.equals(tc.function, function);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, function);
  }

  @Override
  public String toString() {
    return function == null ? mode.name().toLowerCase(java.util.Locale.ROOT) : "function:" + function;
  }
}

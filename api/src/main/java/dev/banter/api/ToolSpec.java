package dev.banter.api;

import java.util.Objects;

/**
 * A function the model may call: its name, what it does, and the JSON Schema of its parameters.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ToolSpec weather = ToolSpec.of("get_weather", "Current weather for a city",
 *     "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
 * ChatRequest r = ChatRequest.builder().user("Weather in Oslo?").tools(weather).build();
 * }</pre>
 */
public final class ToolSpec {
  private final String name;
  private final String description;
  private final String parametersSchema;

  public ToolSpec(String name, String description, String parametersSchema) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parametersSchema, "parametersSchema");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "tool name must match [A-Za-z0-9_-]{1,64}, got '" + name + "'");
    }
    if (!parametersSchema.trim().startsWith("{")) {
      throw new IllegalArgumentException(
          "tool '" + name + "': parametersSchema must be a JSON object, got: " + abbreviate(parametersSchema));
    }
    this.name = name;
    this.description = description;
    this.parametersSchema = parametersSchema;
  }

  /** A tool with a description and a JSON Schema for its parameters. */
  public static ToolSpec of(String name, String description, String parametersSchema) {
    return new ToolSpec(name, description, parametersSchema);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The function name, {@code [A-Za-z0-9_-]{1,64}}. */
  public String name() {
    return name;
  }

  /** What the function does, for the model; may be empty. */
  public String description() {
    return description;
  }

  /** A JSON Schema object as text. */
  public String parametersSchema() {
    return parametersSchema;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ToolSpec)) {
      return false;
    }
    ToolSpec o = (ToolSpec) other;
    return name.equals(o.name)
        && description.equals(o.description)
        && parametersSchema.equals(o.parametersSchema);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, description, parametersSchema);
  }

  @Override
  public String toString() {
    return "ToolSpec[" + "name=" + name + ", " + "description=" + description + ", " + "parametersSchema=" + parametersSchema + "]";
  }
}

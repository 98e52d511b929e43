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
 *
 * @param name the function name, {@code [A-Za-z0-9_-]{1,64}}
 * @param description what the function does, for the model; possibly empty text
 * @param parametersSchema a JSON Schema object as text
 */
public record ToolSpec(String name, String description, String parametersSchema) {
  /** @throws IllegalArgumentException if the name is not a valid function name or the schema no JSON object */
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parametersSchema, "parametersSchema");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("tool name must match [A-Za-z0-9_-]{1,64}, got '" + name + "'");
    }
    if (!parametersSchema.trim().startsWith("{")) {
      throw new IllegalArgumentException("tool '" + name + "': parametersSchema must be a JSON object, got: "
          + (parametersSchema.length() <= 40 ? parametersSchema : parametersSchema.substring(0, 40) + "..."));
    }
  }

  /** A tool with a description and a JSON Schema for its parameters. */
  public static ToolSpec of(String name, String description, String parametersSchema) {
    return new ToolSpec(name, description, parametersSchema);
  }
}

package dev.banter.core.tools;

/**
 * A tool's implementation on Java types: receives the model's arguments mapped to {@code A}
 * (after a check against {@code A}'s schema) and returns a result that is sent to the model as
 * JSON (a {@code String} as it is). Any exception it throws becomes an error result for the model,
 * not a failure of the loop. Must be thread-safe when the loop runs calls concurrently.
 *
 * <pre>{@code
 * record WeatherQuery(String city) {}
 * record Weather(String city, double celsius) {}
 * ToolLoop loop = ToolLoop.builder(model)
 *     .tool("get_weather", "Current weather for a city", WeatherQuery.class, q -> new Weather(q.city(), 7.5))
 *     .build();
 * }</pre>
 *
 * @param <A> the arguments' type, a record or class with properties
 */
@FunctionalInterface
public interface TypedToolHandler<A> {
  /** Runs the tool; the result becomes JSON ({@code null} becomes {@code null}). */
  Object call(A arguments) throws Exception;
}

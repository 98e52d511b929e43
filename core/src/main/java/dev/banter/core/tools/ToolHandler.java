package dev.banter.core.tools;

/**
 * A tool's implementation with JSON in and text out: receives the arguments exactly as the model
 * wrote them (a JSON object as text) and returns the result the model reads (JSON or plain text).
 * Any exception it throws becomes an error result for the model, not a failure of the loop.
 * Called from the loop's thread, or from its executor when one is set: then it must be thread-safe.
 *
 * <pre>{@code
 * ToolLoop loop = ToolLoop.builder(model)
 *     .tool(ToolSpec.of("time", "The current UTC time", "{\"type\":\"object\",\"properties\":{}}"),
 *         args -> java.time.Instant.now().toString())
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface ToolHandler {
  /** Runs the tool; {@code arguments} is the model's JSON text, unchecked. */
  String call(String arguments) throws Exception;
}

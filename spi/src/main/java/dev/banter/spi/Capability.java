package dev.banter.spi;

/**
 * Something a backend can do beyond plain chat. Immutable.
 *
 * <pre>{@code
 * if (backend.capabilities().has(Capability.TOOLS)) {
 *   request = request.toBuilder().tools(weatherTool).build();
 * }
 * }</pre>
 */
public enum Capability {
  /** Answers can stream token by token (otherwise a stream delivers the whole answer at once). */
  STREAMING,
  /** Tool (function) calls. */
  TOOLS,
  /** {@code response_format} JSON object mode. */
  JSON_OBJECT,
  /** {@code response_format} JSON Schema mode. */
  JSON_SCHEMA,
  /** Reasoning text delivered apart from the answer. */
  REASONING,
  /** {@link Backend#countTokens} is exact: the backend has the model's own tokenizer and template. */
  EXACT_TOKEN_COUNT,
  /** The same seed gives the same answer. */
  SEED,
  /** Stop sequences are honoured. */
  STOP_SEQUENCES,
  /** Each generated token's log probability, and the most likely alternatives, on request. */
  LOGPROBS
}

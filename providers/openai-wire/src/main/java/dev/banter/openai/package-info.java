/**
 * The OpenAI-compatible chat protocol, both halves. Start from
 * {@link dev.banter.openai.OpenAiClient} (a Vert.x HTTP client: SSE streaming, timeouts,
 * failover over an {@link dev.banter.openai.EndpointSelector}) or from
 * {@link dev.banter.openai.OpenAiBackend}, the {@code Backend} the {@code inference-server},
 * {@code xai} and {@code openai} providers build on; {@link dev.banter.openai.Dialect} names the
 * variants they speak. The server half is {@link dev.banter.openai.OpenAiServerHandler}, which
 * serves any {@code ChatModel} as {@code /v1/chat/completions}, {@code /v1/responses} (the
 * Responses API, read by {@code ResponsesRequestMapper} and written by {@code ResponseEvents}),
 * {@code /v1/models} and {@code /health}. Wire DTOs, the SSE parser and the error mapping are package-private.
 */
package dev.banter.openai;

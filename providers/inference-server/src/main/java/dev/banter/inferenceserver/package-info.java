/**
 * The {@code inference-server} backend plugin: self-hosted OpenAI-compatible GPU servers,
 * balanced over several endpoints with health checks and failover. Start from
 * {@link dev.banter.inferenceserver.InferenceServerProvider}, found by
 * {@link java.util.ServiceLoader}; the protocol itself lives in {@code dev.banter.openai}.
 */
package dev.banter.inferenceserver;

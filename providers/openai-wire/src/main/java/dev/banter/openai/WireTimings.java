package dev.banter.openai;

/**
 * llama.cpp server's {@code timings} object, sent on the last chunk of a stream and with every
 * non-streamed answer.
 */
final class WireTimings {
  Integer cacheN;
  Integer promptN;
  Double promptMs;
  Double promptPerSecond;
  Integer predictedN;
  Double predictedMs;
  Double predictedPerSecond;
}

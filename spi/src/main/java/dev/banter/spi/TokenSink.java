package dev.banter.spi;

/**
 * Where a {@link TokenProducer} puts its tokens. Not thread-safe: the producer's thread only.
 *
 * <pre>{@code
 * if (!sink.accept(" world")) {
 *   return; // cancelled, a stop sequence appeared, or the token limit was reached
 * }
 * }</pre>
 */
public interface TokenSink {
  /**
   * Takes the text of the next token; blocks while the consumer is behind.
   *
   * @return false when the producer must stop: the stream was cancelled, a stop sequence was
   *     generated or the request's token limit reached
   */
  boolean accept(String tokenText);
}

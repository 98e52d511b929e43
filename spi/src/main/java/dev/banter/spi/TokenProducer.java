package dev.banter.spi;

/**
 * The part of a backend that is its own: producing an answer's tokens, one text piece per token,
 * into a {@link TokenSink} until the answer is done or the sink says stop. {@link TokenStream}
 * runs it and does the rest (backpressure, cancellation, stop sequences, the token limit, usage).
 *
 * <pre>{@code
 * TokenProducer words = sink -> {
 *   for (String word : List.of("Hello", " there", "!")) {
 *     if (!sink.accept(word)) return;
 *   }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TokenProducer {
  /**
   * Produces the tokens. Return when the answer is done or {@link TokenSink#accept} returned
   * false. A {@link dev.banter.api.BanterException} thrown here ends the stream with that error;
   * any other exception ends it with a {@code BanterException} naming it; an interrupt ends it
   * as cancelled.
   */
  void produce(TokenSink sink) throws Exception;
}

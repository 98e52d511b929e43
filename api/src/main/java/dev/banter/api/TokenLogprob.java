package dev.banter.api;

import java.util.List;
import java.util.Objects;

/**
 * One generated token with its log probability and, when asked for, the most likely tokens at its
 * position: OpenAI's {@code logprobs.content[]} entry. {@code bytes} are the token's own UTF-8
 * bytes (0..255), the truth where a token holds part of a character and {@code token} shows a
 * replacement character. Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatRequest r = ChatRequest.builder().user("Yes or no?")
 *     .options(GenerationOptions.builder().logprobs(true).topLogprobs(3).build()).build();
 * for (TokenLogprob t : model.chat(r).logprobs()) {
 *   System.out.printf("%s %.3f%n", t.token(), Math.exp(t.logprob()));
 *   t.topLogprobs().forEach(a -> System.out.println("  or " + a.token()));
 * }
 * }</pre>
 *
 * @param token the token's text
 * @param logprob its natural-log probability, at most 0 ({@code -Infinity} for a token that could
 *     not have been chosen)
 * @param bytes the token's UTF-8 bytes as unsigned values
 * @param topLogprobs the most likely tokens at this position, most likely first; empty unless
 *     {@link GenerationOptions#topLogprobs()} asked for them
 */
public record TokenLogprob(String token, double logprob, List<Integer> bytes, List<Alternative> topLogprobs) {
  /** @throws IllegalArgumentException if the log probability is positive or NaN, or a byte is outside 0..255 */
  public TokenLogprob {
    Objects.requireNonNull(token, "token");
    bytes = List.copyOf(bytes);
    topLogprobs = List.copyOf(topLogprobs);
    checkLogprob(logprob, token);
    checkBytes(bytes, token);
  }

  /**
   * A token that was likely at a position, whether or not it was chosen.
   *
   * @param token the token's text
   * @param logprob its natural-log probability, at most 0
   * @param bytes the token's UTF-8 bytes as unsigned values
   */
  public record Alternative(String token, double logprob, List<Integer> bytes) {
    /** @throws IllegalArgumentException as {@link TokenLogprob}'s constructor */
    public Alternative {
      Objects.requireNonNull(token, "token");
      bytes = List.copyOf(bytes);
      checkLogprob(logprob, token);
      checkBytes(bytes, token);
    }
  }

  private static void checkLogprob(double logprob, String token) {
    if (Double.isNaN(logprob) || logprob > 0) {
      throw new IllegalArgumentException("log probability of '" + token + "' must be <= 0, got " + logprob);
    }
  }

  private static void checkBytes(List<Integer> bytes, String token) {
    for (Integer b : bytes) {
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("bytes of '" + token + "' must be 0..255, got " + b);
      }
    }
  }
}

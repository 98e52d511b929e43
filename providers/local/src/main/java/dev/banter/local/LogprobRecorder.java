package dev.banter.local;

import dev.banter.api.GenerationOptions;
import dev.banter.api.TokenLogprob;
import dev.banter.local.model.Sampler;
import dev.banter.local.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The log probabilities of the tokens a generation draws, kept until the text they produced is
 * emitted (a token may complete no character, or its text may wait on a possible stop sequence),
 * so that each chunk carries the tokens it completes.
 */
final class LogprobRecorder {
  private final Tokenizer tokenizer;
  private final boolean renderSpecial;
  private final int[] top;
  private final List<TokenLogprob> pending = new ArrayList<>();

  private LogprobRecorder(Tokenizer tokenizer, int top, boolean renderSpecial) {
    this.tokenizer = tokenizer;
    this.renderSpecial = renderSpecial;
    this.top = new int[top];
  }

  /**
   * A recorder when {@code options} ask for log probabilities, else null; control tokens read as
   * their text when {@code renderSpecial}, as they do in the answer then.
   */
  static LogprobRecorder of(GenerationOptions options, Tokenizer tokenizer, boolean renderSpecial) {
    return options.logprobs() ? new LogprobRecorder(tokenizer, options.topLogprobs().orElse(0), renderSpecial) : null;
  }

  /** Notes {@code token}, just drawn by {@code sampler}, with the most likely tokens at its place. */
  void record(Sampler sampler, int token) {
    List<TokenLogprob.Alternative> alternatives = new ArrayList<>(top.length);
    int n = top.length == 0 ? 0 : sampler.mostLikely(top.length, top);
    for (int i = 0; i < n; i++) {
      byte[] bytes = tokenizer.piece(top[i], renderSpecial);
      alternatives.add(new TokenLogprob.Alternative(text(bytes), sampler.logprob(top[i]), unsigned(bytes)));
    }
    byte[] bytes = tokenizer.piece(token, renderSpecial);
    pending.add(new TokenLogprob(text(bytes), sampler.logprob(token), unsigned(bytes), alternatives));
  }

  /** The tokens noted since the last call, in order. */
  List<TokenLogprob> drain() {
    List<TokenLogprob> out = List.copyOf(pending);
    pending.clear();
    return out;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<Integer> unsigned(byte[] bytes) {
    List<Integer> out = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      out.add(b & 0xFF);
    }
    return out;
  }
}

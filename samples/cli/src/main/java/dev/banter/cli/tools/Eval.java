package dev.banter.cli.tools;

import dev.banter.local.model.Model;
import dev.banter.local.model.Session;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates a prompt on a model: its tokens (BOS as the model's metadata says), the logits of
 * every prompt position (the prompt evaluated as one batch, as llama.cpp's reference dumps are), and
 * the greedy continuation, which stops after {@code greedy} tokens or after an end-of-generation
 * token (included).
 *
 * <pre>{@code
 * Eval.Result r = Eval.run(new Eval.Settings(Path.of("tiny.gguf"), "Once upon a time", false, 32, true, 1));
 * System.out.println(Arrays.toString(r.greedyTokens()));
 * }</pre>
 */
public final class Eval {
  private Eval() {}

  /**
   * @param special recognise control tokens such as {@code <|im_start|>} in the prompt
   * @param greedy greedy tokens to generate after the prompt, 0 for none
   * @param promptLogits keep the logits of every prompt position ({@code tokens × vocabulary} floats)
   */
  public record Settings(Path model, String prompt, boolean special, int greedy, boolean promptLogits, int threads) {
    public Settings {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(prompt, "prompt");
      if (greedy < 0 || greedy > 1 << 20) {
        throw new IllegalArgumentException("greedy tokens must be between 0 and " + (1 << 20) + ", got " + greedy);
      }
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be between 1 and 1024, got " + threads);
      }
    }
  }

  /**
   * @param promptLogits row-major {@code promptTokens.length × vocabulary}, when asked for
   */
  public record Result(int[] promptTokens, int[] greedyTokens, int vocabSize, Optional<float[]> promptLogits) {}

  /**
   * @throws dev.banter.api.ModelLoadException if the model cannot be loaded
   * @throws IllegalArgumentException if the prompt has no tokens
   * @throws OutOfMemoryError when the logits or the session do not fit the heap
   */
  public static Result run(Settings s) {
    try (Model m = Model.load(s.model(), s.threads())) {
      int[] tokens = m.tokenizer().encode(s.prompt(), true, s.special());
      if (tokens.length == 0) {
        throw new IllegalArgumentException("the prompt has no tokens; give some text (or a model that adds BOS)");
      }
      Session session = m.newSession(tokens.length + s.greedy(), tokens.length);
      int vocab = m.vocabSize();
      float[] last;
      float[] all = null;
      if (s.promptLogits()) {
        all = new float[tokens.length * vocab];
        session.appendAll(tokens, 0, tokens.length, all, 0);
        last = Arrays.copyOfRange(all, (tokens.length - 1) * vocab, tokens.length * vocab);
      } else {
        last = session.append(tokens, 0, tokens.length);
      }
      int[] generated = new int[s.greedy()];
      int count = 0;
      while (count < s.greedy()) {
        int next = argmax(last);
        generated[count++] = next;
        if (m.tokenizer().isEog(next) || count == s.greedy()) {
          break;
        }
        last = session.append(new int[] {next}, 0, 1);
      }
      return new Result(tokens, Arrays.copyOf(generated, count), vocab, Optional.ofNullable(all));
    }
  }

  private static int argmax(float[] x) {
    int best = 0;
    for (int i = 1; i < x.length; i++) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }
}

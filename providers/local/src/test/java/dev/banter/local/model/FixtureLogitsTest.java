package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model fixture against llama.cpp's logits at every prompt position (the prompt evaluated
 * as one batch), with the tolerances of the reference data (shared/reference/README.md):
 *
 * <table>
 *   <tr><td>F32 llama, qwen2, grok</td><td>max |Δlogit| ≤ 1e-3, greedy tokens identical</td></tr>
 *   <tr><td>F16</td><td>mean KL ≤ 1e-5, top-1 ≥ 0.95</td></tr>
 *   <tr><td>BF16, grok Q8_0</td><td>mean KL ≤ 1e-3, top-1 ≥ 0.95</td></tr>
 *   <tr><td>Q8_0, Q4_0, Q4_K_M, Q5_K_M, Q6_K</td><td>mean KL ≤ 1e-2, top-1 ≥ 0.85</td></tr>
 *   <tr><td>demo model, joke prompt</td><td>mean KL ≤ 1e-3, greedy answer identical</td></tr>
 * </table>
 *
 * <p>Runs on the kernels this JVM selects; the build runs it twice, with the Vector API and with
 * {@code -Dbanter.vector=false}.
 */
class FixtureLogitsTest {
  static final String[] MODELS = {
      "tiny-llama-f32", "tiny-qwen2-f32", "tiny-grok-f32", "tiny-llama-f16", "tiny-llama-bf16",
      "tiny-llama-q8_0", "tiny-llama-q4_0", "tiny-llama-q4_k_m", "tiny-llama-q5_k_m", "tiny-llama-q6_k",
      "tiny-grok-q8_0"};

  static List<Arguments> fixtures() {
    List<Arguments> out = new ArrayList<>();
    for (String m : MODELS) {
      out.add(Arguments.of(m, "story"));
      out.add(Arguments.of(m, "chat"));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("fixtures")
  void prompt_logits_match_llama_cpp_within_the_tolerance_of_the_type(String model, String prompt) {
    Fixtures.Reference ref = new Fixtures.Reference("logits", model, prompt);
    try (Model m = Model.load(Fixtures.resource("gguf/" + model + ".gguf"), 2)) {
      int[] tokens = m.tokenizer().encode(ref.prompt, true, prompt.equals("chat"));
      assertArrayEquals(ref.promptTokens, tokens, "prompt tokens");
      Session s = m.newSession(m.trainedContextLength(), tokens.length);
      float[] logits = new float[tokens.length * m.vocabSize()];
      s.appendAll(tokens, 0, tokens.length, logits, 0);
      LogitComparison c = LogitComparison.of(ref.logits, logits, ref.vocab);
      System.out.printf(Locale.ROOT, "%-8s %-18s %-5s %s%n", kernels(), model, prompt, c);
      if (model.endsWith("f32")) {
        assertTrue(c.maxAbs <= 1e-3, model + " " + prompt + ": " + c);
        assertArrayEquals(ref.greedyTokens, greedy(s, argmaxLast(logits, tokens.length, m.vocabSize()),
            ref.greedyTokens.length), "greedy tokens");
      } else if (model.endsWith("f16") && !model.endsWith("bf16")) {
        assertTrue(c.meanKl <= 1e-5 && c.top1 >= 0.95, model + " " + prompt + ": " + c);
      } else if (model.endsWith("bf16") || model.equals("tiny-grok-q8_0")) {
        assertTrue(c.meanKl <= 1e-3 && c.top1 >= 0.95, model + " " + prompt + ": " + c);
      } else {
        assertTrue(c.meanKl <= 1e-2 && c.top1 >= 0.85, model + " " + prompt + ": " + c);
      }
    }
  }

  @Test
  void demo_model_tells_llama_cpps_joke() {
    Fixtures.Reference ref = new Fixtures.Reference("models", "banter-demo-fortunes-q8_0", "joke");
    try (Model m = Model.load(Fixtures.resource("models/banter-demo-fortunes-q8_0.gguf"), 2)) {
      int[] tokens = m.tokenizer().encode(ref.prompt, true, false);
      assertArrayEquals(ref.promptTokens, tokens, "prompt tokens");
      Session s = m.newSession(m.trainedContextLength(), tokens.length);
      float[] logits = new float[tokens.length * m.vocabSize()];
      s.appendAll(tokens, 0, tokens.length, logits, 0);
      LogitComparison c = LogitComparison.of(ref.logits, logits, ref.vocab);
      System.out.printf(Locale.ROOT, "%-8s %-18s %-5s %s%n", kernels(), "demo-fortunes-q8_0", "joke", c);
      assertTrue(c.meanKl <= 1e-3, "demo: " + c);
      int[] answer = greedy(s, argmaxLast(logits, tokens.length, m.vocabSize()), ref.greedyTokens.length + 8);
      int end = 0;
      while (end < answer.length && !m.tokenizer().isEog(answer[end])) {
        end++;
      }
      assertArrayEquals(ref.greedyTokens, Arrays.copyOf(answer, end + 1), "greedy answer up to and with EOS");
      assertEquals(2, answer[end]);
    }
  }

  @Test
  void kernels_are_the_ones_this_run_asked_for() {
    if ("scalar".equals(System.getProperty("banter.test.kernels"))) {
      assertEquals(false, WeightMatrix.vectorized(), "the scalar run must not use the Vector API kernels");
    }
    if ("direct".equals(System.getProperty("banter.test.kernels"))) {
      assertEquals(true, WeightMatrix.directLoads(), "the JDK 25 run must load weights straight from the mapping");
    }
  }

  private static String kernels() {
    return WeightMatrix.directLoads() ? "direct" : WeightMatrix.vectorized() ? "vector" : "scalar";
  }

  private static int argmaxLast(float[] logits, int positions, int vocab) {
    return LogitComparison.argmax(logits, (positions - 1) * vocab, vocab);
  }

  /** {@code count} greedy tokens starting with {@code first}, each fed back (after the first). */
  private static int[] greedy(Session s, int first, int count) {
    int[] out = new int[count];
    out[0] = first;
    for (int i = 1; i < count; i++) {
      float[] l = s.append(new int[] {out[i - 1]}, 0, 1);
      out[i] = LogitComparison.argmax(l, 0, l.length);
    }
    return out;
  }
}

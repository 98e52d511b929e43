package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The sampler's filters keep their promises whatever the logits: a token outside the allowed set
 * is never chosen, temperature 0 is the arg-max, a seed fixes the choices, and penalties never
 * make penalised tokens more likely. The allowed sets are computed here independently, from the
 * definitions.
 */
class SamplerProperties {
  @Provide
  Arbitrary<float[]> logits() {
    // Coarse values make ties likely; the filters must handle them.
    return Arbitraries.integers().between(-40, 40).map(i -> i / 4.0f)
        .list().ofMinSize(2).ofMaxSize(60)
        .map(SamplerProperties::toArray);
  }

  private static float[] toArray(List<Float> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static Sampler.Builder plain() {
    return Sampler.builder().temperature(1.0).topK(0).topP(1.0).minP(0.0);
  }

  @Property(tries = 300)
  void top_k_never_chooses_a_token_outside_the_k_best(@ForAll("logits") float[] logits,
      @ForAll @IntRange(min = 1, max = 10) int k, @ForAll long seed) {
    float[] sorted = logits.clone();
    Arrays.sort(sorted);
    float kth = sorted[Math.max(0, sorted.length - k)];
    Sampler s = plain().topK(k).seed(seed).build(logits.length);
    for (int i = 0; i < 20; i++) {
      int t = s.sample(logits);
      assertTrue(logits[t] >= kth, "token " + t + " (" + logits[t] + ") is below the k-th best " + kth);
    }
  }

  @Property(tries = 300)
  void top_p_never_chooses_a_token_outside_the_nucleus(@ForAll("logits") float[] logits,
      @ForAll @DoubleRange(min = 0.05, max = 0.99) double p, @ForAll long seed) {
    double[] probs = softmax(logits);
    double[] sorted = probs.clone();
    Arrays.sort(sorted);
    double cum = 0;
    double smallestKept = 0;
    for (int i = sorted.length - 1; i >= 0; i--) {
      cum += sorted[i];
      smallestKept = sorted[i];
      if (cum >= p - 1e-9) {
        break;
      }
    }
    Sampler s = plain().topP(p).seed(seed).build(logits.length);
    for (int i = 0; i < 20; i++) {
      int t = s.sample(logits);
      assertTrue(probs[t] >= smallestKept * (1 - 1e-6), "token " + t + " with p=" + probs[t]
          + " is outside the nucleus of " + p + " (smallest kept " + smallestKept + ")");
    }
  }

  @Property(tries = 300)
  void min_p_never_chooses_a_token_less_likely_than_min_p_times_the_best(@ForAll("logits") float[] logits,
      @ForAll @DoubleRange(min = 0.01, max = 1.0) double minP, @ForAll long seed) {
    double[] probs = softmax(logits);
    double best = Arrays.stream(probs).max().getAsDouble();
    Sampler s = plain().minP(minP).seed(seed).build(logits.length);
    for (int i = 0; i < 20; i++) {
      int t = s.sample(logits);
      assertTrue(probs[t] >= minP * best * (1 - 1e-5), "token " + t + " with p=" + probs[t] + " < " + minP
          + " × " + best);
    }
  }

  @Property(tries = 300)
  void combined_filters_choose_only_tokens_every_filter_allows(@ForAll("logits") float[] logits,
      @ForAll @IntRange(min = 1, max = 10) int k, @ForAll @DoubleRange(min = 0.1, max = 1.0) double minP,
      @ForAll long seed) {
    float[] sorted = logits.clone();
    Arrays.sort(sorted);
    float kth = sorted[Math.max(0, sorted.length - k)];
    double[] probs = softmax(logits);
    double best = Arrays.stream(probs).max().getAsDouble();
    Sampler s = plain().topK(k).topP(0.9).minP(minP).temperature(0.7).seed(seed).build(logits.length);
    for (int i = 0; i < 20; i++) {
      int t = s.sample(logits);
      assertTrue(logits[t] >= kth && probs[t] >= minP * best * (1 - 1e-5), "token " + t);
    }
  }

  @Property(tries = 300)
  void temperature_zero_is_greedy(@ForAll("logits") float[] logits, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 10) int k, @ForAll @DoubleRange(min = 0.1, max = 1.0) double p) {
    int argmax = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[argmax]) {
        argmax = i;
      }
    }
    Sampler s = Sampler.builder().temperature(0).topK(k).topP(p).minP(0.05).seed(seed).build(logits.length);
    for (int i = 0; i < 5; i++) {
      assertEquals(argmax, s.sample(logits));
    }
  }

  @Property(tries = 200)
  void the_same_seed_gives_the_same_tokens(@ForAll("logits") float[] logits, @ForAll long seed,
      @ForAll @DoubleRange(min = 0.1, max = 2.0) double temperature,
      @ForAll @DoubleRange(min = 1.0, max = 2.0) double penalty) {
    Sampler a = Sampler.builder().temperature(temperature).repetitionPenalty(penalty).seed(seed).build(logits.length);
    Sampler b = Sampler.builder().temperature(temperature).repetitionPenalty(penalty).seed(seed).build(logits.length);
    int[] ta = new int[30];
    int[] tb = new int[30];
    for (int i = 0; i < ta.length; i++) {
      ta[i] = a.sample(logits);
      a.accept(ta[i]);
      tb[i] = b.sample(logits);
      b.accept(tb[i]);
    }
    assertArrayEquals(ta, tb);
  }

  @Property(tries = 300)
  void penalties_never_make_penalised_tokens_more_likely(@ForAll("logits") float[] logits,
      @ForAll("recentTokens") List<Integer> recent,
      @ForAll @DoubleRange(min = 1.0, max = 3.0) double repeat,
      @ForAll @DoubleRange(min = 0.0, max = 2.0) double frequency,
      @ForAll @DoubleRange(min = 0.0, max = 2.0) double presence) {
    Sampler s = Sampler.builder().repetitionPenalty(repeat).frequencyPenalty(frequency).presencePenalty(presence)
        .penaltyLastN(16).build(logits.length);
    boolean[] penalised = new boolean[logits.length];
    int start = Math.max(0, recent.size() - 16);
    for (int i = 0; i < recent.size(); i++) {
      int t = recent.get(i) % logits.length;
      s.accept(t);
      if (i >= start) {
        penalised[t] = true;
      }
    }
    float[] after = logits.clone();
    s.penalize(after);
    double[] p0 = softmax(logits);
    double[] p1 = softmax(after);
    double mass0 = 0;
    double mass1 = 0;
    for (int t = 0; t < logits.length; t++) {
      if (penalised[t]) {
        assertTrue(after[t] <= logits[t], "the logit of penalised token " + t + " rose");
        mass0 += p0[t];
        mass1 += p1[t];
      } else {
        assertEquals(logits[t], after[t], "token " + t + " was not penalised but changed");
      }
    }
    assertTrue(mass1 <= mass0 + 1e-12, "the penalised tokens' probability rose from " + mass0 + " to " + mass1);
  }

  @Provide
  Arbitrary<List<Integer>> recentTokens() {
    return Arbitraries.integers().between(0, 1000).list().ofMaxSize(40);
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] out = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      out[i] = Math.exp(logits[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= sum;
    }
    return out;
  }
}

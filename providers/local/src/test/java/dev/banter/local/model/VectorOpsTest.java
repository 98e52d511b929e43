package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.banter.local.tensor.WeightMatrix;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API twins of the model's loops against their plain-Java definitions, on random data
 * of head sizes that do and do not fill whole vectors (the tails go through scalar code).
 */
class VectorOpsTest {
  @BeforeAll
  static void vectorUnit() {
    assumeTrue(WeightMatrix.vectorized(), "the Vector API kernels are off in this JVM");
  }

  private static float[] gaussian(Random rnd, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextGaussian() * scale);
    }
    return x;
  }

  @ParameterizedTest(name = "head {0}, group {1}, {2} positions, cap {3}, sinks {4}")
  @CsvSource({"64, 8, 1, 0, false", "64, 8, 37, 0, false", "64, 8, 64, 0, false", "64, 4, 300, 0, false",
      "32, 2, 17, 0, false", "48, 1, 40, 0, false", "100, 3, 23, 0, false", "7, 2, 5, 0, false", "64, 2, 50, 30, false",
      "64, 8, 1, 0, true", "64, 4, 37, 0, true", "7, 2, 5, 0, true"})
  void attention_agrees_with_the_scalar_definition(int headDim, int group, int len, float cap, boolean withSinks) {
    Random rnd = new Random(headDim * 31L + len);
    int kvHeads = 3;
    int kvDim = kvHeads * headDim;
    int kvHead = 1;
    int capacity = len + 9;
    float[] q = gaussian(rnd, 5 + group * headDim, 1);
    float[] cache = gaussian(rnd, 7 + 2 * capacity * kvDim, 1);
    int keys = 7 + kvHead * headDim * capacity;
    int values = 7 + capacity * kvDim + kvHead * headDim;
    float scale = (float) (1 / Math.sqrt(headDim));
    float capScale = cap > 0 ? 0.08f / cap : 0;
    float[] want = new float[3 + group * headDim];
    float[] got = new float[3 + group * headDim];
    float[] sinks = withSinks ? gaussian(rnd, 2 + group, 2) : null;
    Attention.attend(q, 5, group, headDim, cache, keys, capacity, values, kvDim, len, scale, cap, capScale,
        sinks, 2, new float[group * len], want, 3);
    VectorOps.attend(q, 5, group, headDim, cache, keys, capacity, values, kvDim, len, scale, cap, capScale,
        sinks, 2, new float[group * len], got, 3);
    if (withSinks) {
      float[] without = new float[3 + group * headDim];
      Attention.attend(q, 5, group, headDim, cache, keys, capacity, values, kvDim, len, scale, cap, capScale,
          null, 0, new float[group * len], without, 3);
      double shrink = Math.abs(without[3]) - Math.abs(want[3]);
      assertTrue(shrink > 0 || without[3] == 0, "a sink takes a share of the attention: " + without[3] + " vs " + want[3]);
    }
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), "output " + i);
    }
    assertEquals(0f, got[0], "nothing written before the output offset");
  }

  @org.junit.jupiter.api.Test
  void exp_is_within_two_ulps_of_math_exp_and_saturates_at_its_bounds() {
    int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    float[] x = new float[lanes];
    float[] y = new float[lanes];
    for (float start = -87f; start < 88f; start += 0.37f * lanes) {
      for (int i = 0; i < lanes; i++) {
        x[i] = Math.min(88f, start + 0.37f * i + (float) Math.sin(start + i) * 0.1f);
      }
      VectorOps.exp(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, x,
          0)).intoArray(y, 0);
      for (int i = 0; i < lanes; i++) {
        float want = (float) Math.exp(x[i]);
        assertTrue(Math.abs(want - y[i]) <= 2 * Math.ulp(want), "exp(" + x[i] + "): want " + want + ", got " + y[i]);
      }
    }
    java.util.Arrays.fill(x, -1000f);
    VectorOps.exp(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, x,
        0)).intoArray(y, 0);
    assertTrue(y[0] >= 0 && y[0] < 1e-37f, "exp(-1000) is about 0: " + y[0]);
  }

  @ParameterizedTest(name = "{0} values")
  @CsvSource({"16", "5632", "37", "3"})
  void swiglu_agrees_with_the_scalar_definition(int n) {
    Random rnd = new Random(n);
    float[] gate = gaussian(rnd, n + 4, 4);
    float[] up = gaussian(rnd, n + 4, 1);
    if (n > 6) {
      gate[6] = -200f;
      gate[7] = 200f;
    }
    float[] want = gate.clone();
    Ops.swiglu(want, up, 2, n);
    float[] got = gate.clone();
    VectorOps.swiglu(got, up, 2, n);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-6 * (1 + Math.abs(want[i])), "value " + i);
    }
    assertTrue(got[0] == gate[0] && got[1] == gate[1], "values before the offset are left alone");
  }
}

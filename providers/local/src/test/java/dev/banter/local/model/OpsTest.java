package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.banter.local.tensor.F16;
import org.junit.jupiter.api.Test;

/** The element-wise steps against their definitions. */
class OpsTest {
  @Test
  void gelu_is_the_tanh_form_at_half_precision_and_exact_beyond_ten() {
    for (float x = -12f; x <= 12f; x += 0.013f) {
      float expected;
      if (x <= -10f) {
        expected = 0f;
      } else if (x >= 10f) {
        expected = x;
      } else {
        float h = F16.toFloat(F16.fromFloat(x));
        expected = F16.toFloat(F16.fromFloat(Ops.geluExact(h)));
      }
      assertEquals(expected, Ops.gelu(x), "gelu(" + x + ")");
      double reference = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      assertEquals(reference, Ops.gelu(x), 2e-3 * Math.max(1, Math.abs(x)), "close to GELU at " + x);
    }
  }

  @Test
  void rms_norm_scales_rows_to_unit_mean_square_times_the_weight() {
    float[] x = {3, 4, 0, 0, 1, 1, 1, 1};
    float[] w = {1, 2, 1, 1};
    float[] out = new float[8];
    Ops.rmsNorm(x, 0, out, 0, w, 4, 2, 0f);
    double s = Math.sqrt((9 + 16) / 4.0);
    assertEquals(3 / s, out[0], 1e-6);
    assertEquals(8 / s, out[1], 1e-6);
    assertEquals(1f, out[4], 1e-6);
  }

  @Test
  void softmax_sums_to_one_and_keeps_order() {
    float[] x = {0, 1, 2, -1000};
    Ops.softmax(x, 0, 4);
    assertEquals(1.0, x[0] + x[1] + x[2] + x[3], 1e-6);
    assertEquals(Math.exp(1) / (1 + Math.E + Math.exp(2)), x[1], 1e-6);
    assertEquals(0f, x[3]);
  }

  @Test
  void softcap_bounds_values_by_the_cap() {
    float[] x = {0, 1, 1000, -1000};
    Ops.softcap(x, 0, 4, 30f);
    assertEquals(0f, x[0]);
    assertEquals(30 * Math.tanh(1 / 30.0), x[1], 1e-6);
    assertEquals(30f, x[2], 1e-4);
    assertEquals(-30f, x[3], 1e-4);
  }

  @Test
  void swiglu_multiplies_silu_of_the_gate_by_up() {
    float[] g = {0, 2, -3};
    float[] u = {5, 3, 2};
    Ops.swiglu(g, u, 3);
    assertEquals(0f, g[0]);
    assertEquals(2 / (1 + Math.exp(-2)) * 3, g[1], 1e-6);
    assertEquals(-3 / (1 + Math.exp(3)) * 2, g[2], 1e-6);
  }
}

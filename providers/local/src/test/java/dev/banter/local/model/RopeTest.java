package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RoPE angles and rotations against their closed forms. */
class RopeTest {
  private static Rope plain(boolean neox, float freqScale, float[] factors) {
    return new Rope(8, neox, 10000f, freqScale, 0f, 1f, 4096, 32f, 1f, factors);
  }

  @Test
  void angles_are_position_times_base_to_the_minus_two_i_over_dims() {
    Rope r = plain(false, 1f, null);
    float[] cos = new float[4];
    float[] sin = new float[4];
    r.angles(37, cos, sin, 0);
    for (int i = 0; i < 4; i++) {
      double theta = 37 * Math.pow(10000, -2.0 * i / 8);
      assertEquals(Math.cos(theta), cos[i], 1e-5, "cos " + i);
      assertEquals(Math.sin(theta), sin[i], 1e-5, "sin " + i);
    }
  }

  @Test
  void linear_scaling_divides_the_angles_and_frequency_factors_divide_per_pair() {
    float[] cos = new float[4];
    float[] sin = new float[4];
    plain(false, 0.5f, null).angles(40, cos, sin, 0);
    float[] cos2 = new float[4];
    float[] sin2 = new float[4];
    plain(false, 1f, null).angles(20, cos2, sin2, 0);
    for (int i = 0; i < 4; i++) {
      assertEquals(cos2[i], cos[i], 1e-5);
    }
    plain(false, 1f, new float[] {1f, 2f, 4f, 8f}).angles(40, cos, sin, 0);
    for (int i = 0; i < 4; i++) {
      double theta = 40 * Math.pow(10000, -2.0 * i / 8) / (1 << i);
      assertEquals(Math.cos(theta), cos[i], 1e-5);
    }
  }

  @Test
  void yarn_keeps_high_frequencies_and_scales_the_magnitude() {
    // Pair 0 turns fastest: beyond the correction range, so YaRN leaves it unscaled (ramp 1);
    // every value is multiplied by 1 + 0.1 ln(1 / freqScale).
    Rope yarn = new Rope(8, true, 10000f, 0.25f, 1f, 1f, 64, 32f, 1f, null);
    float[] cos = new float[4];
    float[] sin = new float[4];
    yarn.angles(3, cos, sin, 0);
    double m = 1 + 0.1 * Math.log(4);
    assertEquals(Math.cos(3) * m, cos[0], 1e-5);
    assertEquals(Math.sin(3) * m, sin[0], 1e-5);
  }

  @Test
  void normal_rope_rotates_adjacent_pairs_and_neox_rotates_halves() {
    float[] cos = {0f, 1f};
    float[] sin = {1f, 0f};
    float[] x = {1, 2, 3, 4, 9};
    new Rope(4, false, 10000f, 1f, 0f, 1f, 4096, 32f, 1f, null).rotate(x, 0, 1, 5, cos, sin, 0);
    // pair (1,2) by 90 degrees -> (-2, 1); pair (3,4) unchanged; value 5 is past the rotated dims
    assertEquals(-2f, x[0]);
    assertEquals(1f, x[1]);
    assertEquals(3f, x[2]);
    assertEquals(4f, x[3]);
    assertEquals(9f, x[4]);
    float[] y = {1, 2, 3, 4};
    new Rope(4, true, 10000f, 1f, 0f, 1f, 4096, 32f, 1f, null).rotate(y, 0, 1, 4, cos, sin, 0);
    // pairs (1,3) by 90 degrees -> (-3, 1); (2,4) unchanged
    assertEquals(-3f, y[0]);
    assertEquals(2f, y[1]);
    assertEquals(1f, y[2]);
    assertEquals(4f, y[3]);
  }
}

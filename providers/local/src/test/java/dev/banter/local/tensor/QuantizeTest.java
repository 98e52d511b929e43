package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class QuantizeTest {

  private static float[] floats(List<Float> values) {
    float[] x = new float[values.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = values.get(i);
    }
    return x;
  }

  @Test
  void round_half_away_matches_c_roundf() {
    assertEquals(3, Q8_0.roundHalfAway(2.5f));
    assertEquals(-3, Q8_0.roundHalfAway(-2.5f));
    assertEquals(2, Q8_0.roundHalfAway(2.4999998f));
    assertEquals(0, Q8_0.roundHalfAway(0.49999997f));
    assertEquals(-1, Q8_0.roundHalfAway(-0.5f));
    assertEquals(127, Q8_0.roundHalfAway(126.5f));
    assertEquals(0, Q8_0.roundHalfAway(-0.0f));
  }

  @Test
  void q8_0_quantizes_by_largest_magnitude_over_127() {
    float[] x = new float[32];
    for (int j = 0; j < 32; j++) {
      x[j] = j * 0.5f - 8;                          // -8 .. 7.5
    }
    ByteBuffer b = TestData.le(Q8_0.TYPE_SIZE);
    Q8_0.quantizeRow(x, 0, b, 0, 32);
    assertEquals(F16.fromFloat(8f / 127), b.getShort(0));
    assertEquals(-127, b.get(2));                   // -8 * 127/8
    assertEquals(-119, b.get(3));                   // -7.5 * 15.875 = -119.06
    assertEquals(0, b.get(2 + 16));
    assertEquals(8, b.get(2 + 17));                 // 0.5 * 15.875 = 7.94
    assertEquals(119, b.get(2 + 31));
  }

  @Test
  void q8_0_of_zeros_has_zero_scale_and_quants() {
    ByteBuffer b = TestData.le(Q8_0.TYPE_SIZE);
    Q8_0.quantizeRow(new float[32], 0, b, 0, 32);
    for (int i = 0; i < Q8_0.TYPE_SIZE; i++) {
      assertEquals(0, b.get(i));
    }
  }

  @Test
  void q4_0_maps_the_largest_magnitude_to_minus_eight_and_clamps_at_fifteen() {
    float[] x = new float[32];
    for (int j = 0; j < 32; j++) {
      x[j] = -4 + j * 0.25f;                        // max magnitude -4: d = 0.5
    }
    ByteBuffer b = TestData.le(Q4_0.TYPE_SIZE);
    Q4_0.quantizeRow(x, 0, b, 0, 32);
    assertEquals((short) 0x3800, b.getShort(0));
    assertEquals((byte) 0x80, b.get(2));            // q0 = 0 (-4), q16 = 8 (0)
    assertEquals((byte) 0x91, b.get(3));            // q1 = 1 (-3.75: -7.5 + 8.5), q17 = 9 (0.25: 0.5 + 8.5)
    assertEquals((byte) 0xF8, b.get(17));           // q15 = 8 (-0.25 -> 8.0), q31 = 16 clamped to 15
    float[] y = new float[32];
    Q4_0.dequantizeRow(b, 0, y, 0, 32);
    assertEquals(-4f, y[0]);
    assertEquals(3.5f, y[31]);
  }

  @Test
  void q4_0_with_positive_extreme_uses_a_negative_scale() {
    float[] x = new float[32];
    x[5] = 4f;
    x[6] = -2f;
    ByteBuffer b = TestData.le(Q4_0.TYPE_SIZE);
    Q4_0.quantizeRow(x, 0, b, 0, 32);
    assertEquals(-0.5f, F16.toFloat(b.getShort(0)));
    float[] y = new float[32];
    Q4_0.dequantizeRow(b, 0, y, 0, 32);
    assertEquals(4f, y[5]);
    assertEquals(-2f, y[6]);
    assertEquals(0f, y[0], 0f);
  }

  /**
   * Each weight comes back within half a step of its block's scale d, plus what rounding d to
   * half precision costs the quant (at most 127 steps of |d - fp16(d)|).
   */
  @Property(tries = 300)
  void q8_0_round_trip_error_is_at_most_half_a_step(
      @ForAll @Size(min = 64, max = 64) List<@FloatRange(min = -1e4f, max = 1e4f) Float> values) {
    float[] x = floats(values);
    ByteBuffer b = TestData.le(2 * Q8_0.TYPE_SIZE);
    Q8_0.quantizeRow(x, 0, b, 0, 64);
    float[] y = new float[64];
    Q8_0.dequantizeRow(b, 0, y, 0, 64);
    for (int i = 0; i < 2; i++) {
      float amax = 0;
      for (int j = 0; j < 32; j++) {
        amax = Math.max(amax, Math.abs(x[32 * i + j]));
      }
      float d = amax / 127;
      float d16 = F16.toFloat(b.getShort(i * Q8_0.TYPE_SIZE));
      for (int j = 0; j < 32; j++) {
        int k = 32 * i + j;
        double bound = d / 2 * (1 + 1e-6) + 127 * Math.abs(d - d16) + 1e-6 * amax;
        assertTrue(Math.abs(x[k] - y[k]) <= bound, "x=" + x[k] + " y=" + y[k] + " d=" + d);
      }
    }
  }

  /** Within one step |d| (the clamped top value), plus 8 steps of |d - fp16(d)|. */
  @Property(tries = 300)
  void q4_0_round_trip_error_is_at_most_one_step(
      @ForAll @Size(min = 32, max = 32) List<@FloatRange(min = -1e4f, max = 1e4f) Float> values) {
    float[] x = floats(values);
    ByteBuffer b = TestData.le(Q4_0.TYPE_SIZE);
    Q4_0.quantizeRow(x, 0, b, 0, 32);
    float[] y = new float[32];
    Q4_0.dequantizeRow(b, 0, y, 0, 32);
    float max = 0;
    for (float v : x) {
      if (Math.abs(v) > Math.abs(max)) {
        max = v;
      }
    }
    float d = Math.abs(max / 8);
    float d16 = Math.abs(F16.toFloat(b.getShort(0)));
    for (int j = 0; j < 32; j++) {
      double bound = d * (1 + 1e-6) + 8 * Math.abs(d - d16) + 1e-6 * Math.abs(max);
      assertTrue(Math.abs(x[j] - y[j]) <= bound, "x=" + x[j] + " y=" + y[j] + " d=" + d);
    }
  }

  @Property(tries = 100)
  void f16_and_bf16_rows_round_trip_within_half_an_ulp(
      @ForAll @Size(min = 8, max = 8) List<@FloatRange(min = -6e4f, max = 6e4f) Float> values) {
    float[] x = floats(values);
    ByteBuffer h = TestData.le(16);
    ByteBuffer g = TestData.le(16);
    F16.quantizeRow(x, 0, h, 0, 8);
    BF16.quantizeRow(x, 0, g, 0, 8);
    float[] yh = new float[8];
    float[] yg = new float[8];
    F16.dequantizeRow(h, 0, yh, 0, 8);
    BF16.dequantizeRow(g, 0, yg, 0, 8);
    for (int j = 0; j < 8; j++) {
      assertTrue(Math.abs(x[j] - yh[j]) <= Math.max(Math.abs(x[j]) * 0x1p-11, 0x1p-25), "f16 " + x[j]);
      assertTrue(Math.abs(x[j] - yg[j]) <= Math.abs(x[j]) * 0x1p-8, "bf16 " + x[j]);
    }
  }

  /**
   * Q4_K: each weight within half a step of its sub-block (the step being at most range / 15
   * plus one d, since 6-bit scales are rounded up), or within dmin at the top of the range.
   */
  @Property(tries = 200)
  void q4_k_round_trip_error_is_within_half_a_sub_block_step(
      @ForAll @Size(min = 512, max = 512) List<@FloatRange(min = -100f, max = 100f) Float> values) {
    float[] x = floats(values);
    ByteBuffer b = TestData.le(2 * Q4_K.TYPE_SIZE);
    Q4_K.quantizeRow(x, 0, b, 0, 512);
    float[] y = new float[512];
    Q4_K.dequantizeRow(b, 0, y, 0, 512);
    for (int i = 0; i < 2; i++) {
      float d = F16.toFloat(b.getShort(i * Q4_K.TYPE_SIZE));
      float dmin = F16.toFloat(b.getShort(i * Q4_K.TYPE_SIZE + 2));
      for (int j = 0; j < 8; j++) {
        int at = 256 * i + 32 * j;
        float lo = 0f;
        float hi = -Float.MAX_VALUE;
        for (int l = 0; l < 32; l++) {
          lo = Math.min(lo, x[at + l]);
          hi = Math.max(hi, x[at + l]);
        }
        float range = Math.max(hi, lo) - lo;
        double bound = Math.max((range / 15 + d) / 2, dmin) * (1 + 1e-5) + 1e-5;
        for (int l = 0; l < 32; l++) {
          assertTrue(Math.abs(x[at + l] - y[at + l]) <= bound,
              "block " + i + " sub-block " + j + ": x=" + x[at + l] + " y=" + y[at + l] + " bound " + bound);
        }
      }
    }
  }

  /** Q6_K: each weight within half a step of its sub-block, the step at most max|x| / 31 plus d. */
  @Property(tries = 200)
  void q6_k_round_trip_error_is_within_half_a_sub_block_step(
      @ForAll @Size(min = 512, max = 512) List<@FloatRange(min = -100f, max = 100f) Float> values) {
    float[] x = floats(values);
    ByteBuffer b = TestData.le(2 * Q6_K.TYPE_SIZE);
    Q6_K.quantizeRow(x, 0, b, 0, 512);
    float[] y = new float[512];
    Q6_K.dequantizeRow(b, 0, y, 0, 512);
    for (int i = 0; i < 2; i++) {
      float d = F16.toFloat(b.getShort(i * Q6_K.TYPE_SIZE + Q6_K.D));
      for (int j = 0; j < 16; j++) {
        int at = 256 * i + 16 * j;
        float amax = 0f;
        for (int l = 0; l < 16; l++) {
          amax = Math.max(amax, Math.abs(x[at + l]));
        }
        double bound = (amax / 31 + d) / 2 * (1 + 1e-5) + 1e-5;
        for (int l = 0; l < 16; l++) {
          assertTrue(Math.abs(x[at + l] - y[at + l]) <= bound,
              "block " + i + " sub-block " + j + ": x=" + x[at + l] + " y=" + y[at + l] + " bound " + bound);
        }
      }
    }
  }

  @Test
  void k_quants_of_gaussian_weights_have_the_formats_usual_rms_error() {
    java.util.Random rnd = new java.util.Random(7);
    float[] x = TestData.gaussian(256 * 64, rnd);
    ByteBuffer q4 = TestData.le(64 * Q4_K.TYPE_SIZE);
    ByteBuffer q6 = TestData.le(64 * Q6_K.TYPE_SIZE);
    Q4_K.quantizeRow(x, 0, q4, 0, x.length);
    Q6_K.quantizeRow(x, 0, q6, 0, x.length);
    float[] y4 = new float[x.length];
    float[] y6 = new float[x.length];
    Q4_K.dequantizeRow(q4, 0, y4, 0, x.length);
    Q6_K.dequantizeRow(q6, 0, y6, 0, x.length);
    double e4 = 0;
    double e6 = 0;
    for (int k = 0; k < x.length; k++) {
      e4 += (x[k] - y4[k]) * (x[k] - y4[k]);
      e6 += (x[k] - y6[k]) * (x[k] - y6[k]);
    }
    double rms4 = Math.sqrt(e4 / x.length);
    double rms6 = Math.sqrt(e6 / x.length);
    // A uniform quantizer of step s errs by s / sqrt(12) on average: for N(0, 1), a sub-block of
    // 32 spans about 4.1 (step 0.27, rms 0.08) at 4 bits, one of 16 reaches |x| about 1.8
    // (step 0.06, rms 0.017) at 6 bits.
    assertTrue(rms4 < 0.10 && rms4 > 0.03, "Q4_K rms error " + rms4);
    assertTrue(rms6 < 0.025 && rms6 > 0.005, "Q6_K rms error " + rms6);
  }

  @Test
  void k_quants_of_zeros_dequantize_to_zeros() {
    ByteBuffer q4 = TestData.le(Q4_K.TYPE_SIZE);
    ByteBuffer q6 = TestData.le(Q6_K.TYPE_SIZE);
    Q4_K.quantizeRow(new float[256], 0, q4, 0, 256);
    Q6_K.quantizeRow(new float[256], 0, q6, 0, 256);
    float[] y = new float[256];
    Q4_K.dequantizeRow(q4, 0, y, 0, 256);
    for (float v : y) {
      assertEquals(0f, v, 0f);
    }
    Q6_K.dequantizeRow(q6, 0, y, 0, 256);
    for (float v : y) {
      assertEquals(0f, v, 0f);
    }
  }

  @Test
  void the_quantizer_writes_what_each_format_writes_and_names_what_it_cannot() {
    float[] row = TestData.gaussian(512 + 3, new java.util.Random(7));
    for (GgmlType type : GgmlType.values()) {
      if (!Quantizer.supports(type)) {
        assertThrows(IllegalArgumentException.class,
            () -> Quantizer.quantizeRow(type, row, 3, ByteBuffer.allocate(4096), 0, 512), type.toString());
        continue;
      }
      int bytes = (int) type.byteSize(512);
      ByteBuffer got = TestData.le(bytes + 5);
      Quantizer.quantizeRow(type, row, 3, got, 5, 512);
      float[] back = new float[512];
      ScalarKernels.dequantizeRow(type, got, 5, back, 0, 512);
      float[] want = new float[512];
      ByteBuffer direct = TestData.le(bytes);
      switch (type) {
        case F16: F16.quantizeRow(row, 3, direct, 0, 512); break;
        case BF16: BF16.quantizeRow(row, 3, direct, 0, 512); break;
        case Q8_0: Q8_0.quantizeRow(row, 3, direct, 0, 512); break;
        case Q4_0: Q4_0.quantizeRow(row, 3, direct, 0, 512); break;
        case Q4_K: Q4_K.quantizeRow(row, 3, direct, 0, 512); break;
        case Q6_K: Q6_K.quantizeRow(row, 3, direct, 0, 512); break;
        default: throw new AssertionError(type);
      }
      ScalarKernels.dequantizeRow(type, direct, 0, want, 0, 512);
      assertArrayEquals(want, back, 0f, type.toString());
    }
    assertFalse(Quantizer.supports(GgmlType.Q5_K));
  }
}

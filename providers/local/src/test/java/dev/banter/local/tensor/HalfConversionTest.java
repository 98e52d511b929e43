package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * F16 and BF16 conversions, checked exhaustively against references computed by arithmetic on
 * the bit fields (in double), not by the bit shuffling under test.
 */
class HalfConversionTest {

  /** (-1)^s * 2^(e-15) * (1 + m/1024), or the subnormal / special cases, in double. */
  private static double halfValue(int h) {
    int s = (h >> 15) & 1;
    int e = (h >> 10) & 0x1F;
    int m = h & 0x3FF;
    double sign = s == 0 ? 1 : -1;
    if (e == 0) {
      return sign * m * Math.pow(2, -24);
    }
    if (e == 31) {
      return m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    return sign * Math.pow(2, e - 15) * (1 + m / 1024.0);
  }

  @Test
  void every_half_converts_to_its_exact_value() {
    for (int h = 0; h < 65536; h++) {
      float f = F16.toFloat((short) h);
      double want = halfValue(h);
      if (Double.isNaN(want)) {
        assertTrue(Float.isNaN(f), "half " + Integer.toHexString(h));
      } else {
        assertEquals(want, f, 0.0, "half " + Integer.toHexString(h));
        if (want == 0) {
          assertEquals((h & 0x8000) != 0, (Float.floatToRawIntBits(f) & 0x80000000) != 0, "sign of zero");
        }
      }
    }
  }

  @Test
  void every_finite_half_and_infinity_round_trip_through_float() {
    for (int h = 0; h < 65536; h++) {
      if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0) {
        continue;
      }
      assertEquals((short) h, F16.fromFloat(F16.toFloat((short) h)), "half " + Integer.toHexString(h));
    }
  }

  @Test
  void nan_stays_nan_and_quiet() {
    for (int h = 0x7C01; h < 0x7C00 + 1024; h++) {
      short back = F16.fromFloat(F16.toFloat((short) h));
      assertTrue(Float.isNaN(F16.toFloat(back)));
      assertEquals(0x0200, back & 0x0200, "quiet bit");
    }
    assertTrue(Float.isNaN(F16.toFloat(F16.fromFloat(Float.NaN))));
    assertEquals(0x8000, F16.fromFloat(Float.intBitsToFloat(0xFFC00000)) & 0x8000, "sign of NaN kept");
  }

  /** The nearest half to a float, ties to the even mantissa, by comparing distances in double. */
  private static int nearestHalf(float f) {
    if (f != f) {
      return -1;
    }
    int sign = f < 0 || (f == 0 && 1 / f < 0) ? 0x8000 : 0;
    double a = Math.abs((double) f);
    if (a >= 65520) {
      return sign | 0x7C00;
    }
    int lo = 0;
    int hi = 0x7BFF;
    while (lo < hi) {                             // largest half magnitude <= a
      int mid = (lo + hi + 1) >>> 1;
      if (halfValue(mid) <= a) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    int below = lo;
    int above = below + 1;
    double dBelow = a - halfValue(below);
    double dAbove = halfValue(above) - a;
    int pick;
    if (dBelow < dAbove) {
      pick = below;
    } else if (dAbove < dBelow) {
      pick = above;
    } else {
      pick = (below & 1) == 0 ? below : above;
    }
    return sign | pick;
  }

  @Test
  void midpoints_between_neighbouring_halfs_round_to_even() {
    for (int h = 0; h < 0x7BFF; h++) {
      double mid = (halfValue(h) + halfValue(h + 1)) / 2;
      float f = (float) mid;                       // exact: a half has 11 significant bits
      assertEquals(mid, f, 0.0);
      int want = (h & 1) == 0 ? h : h + 1;
      assertEquals((short) want, F16.fromFloat(f), "midpoint above " + Integer.toHexString(h));
      assertEquals((short) (want | 0x8000), F16.fromFloat(-f));
      assertEquals((short) h, F16.fromFloat(Math.nextDown(f)), "just below mid of " + h);
      assertEquals((short) (h + 1), F16.fromFloat(Math.nextUp(f)), "just above mid of " + h);
    }
  }

  @Test
  void random_floats_round_to_the_nearest_half() {
    Random rnd = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      float f;
      switch (i % 3) {
        case 0:
          f = Float.intBitsToFloat(rnd.nextInt());
          break;
        case 1:
          f = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(40) - 28));
          break;
        default:
          f = (float) ((rnd.nextDouble() - 0.5) * 0x1p-13);  // subnormal half range
          break;
      }
      if (Float.isNaN(f)) {
        continue;
      }
      float fi = f;
      assertEquals((short) nearestHalf(f), F16.fromFloat(f), "float " + fi);
    }
  }

  @Test
  void overflow_goes_to_infinity_at_65520() {
    assertEquals((short) 0x7BFF, F16.fromFloat(65504f));
    assertEquals((short) 0x7BFF, F16.fromFloat(Math.nextDown(65520f)));
    assertEquals((short) 0x7C00, F16.fromFloat(65520f));
    assertEquals((short) 0xFC00, F16.fromFloat(-1e9f));
    assertEquals((short) 0x7C00, F16.fromFloat(Float.POSITIVE_INFINITY));
    assertEquals((short) 0x0000, F16.fromFloat(0x1p-26f));   // half of the smallest subnormal: tie to 0
    assertEquals((short) 0x0001, F16.fromFloat(Math.nextUp(0x1p-25f)));
    assertEquals((short) 0x8000, F16.fromFloat(-0f));
    assertEquals((short) 0x0000, F16.fromFloat(Float.MIN_VALUE));
  }

  @Test
  void every_bf16_converts_to_the_float_with_those_top_bits() {
    for (int h = 0; h < 65536; h++) {
      int s = (h >> 15) & 1;
      int e = (h >> 7) & 0xFF;
      int m = h & 0x7F;
      float f = BF16.toFloat((short) h);
      if (e == 255 && m != 0) {
        assertTrue(Float.isNaN(f));
        continue;
      }
      double want;
      if (e == 255) {
        want = s == 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      } else if (e == 0) {
        want = (s == 0 ? 1 : -1) * m * Math.pow(2, -133);
      } else {
        want = (s == 0 ? 1 : -1) * Math.pow(2, e - 127) * (1 + m / 128.0);
      }
      assertEquals(want, f, 0.0, "bf16 " + Integer.toHexString(h));
    }
  }

  @Test
  void every_bf16_round_trips_and_nan_becomes_quiet() {
    for (int h = 0; h < 65536; h++) {
      short back = BF16.fromFloat(BF16.toFloat((short) h));
      boolean nan = (h & 0x7F80) == 0x7F80 && (h & 0x7F) != 0;
      if (nan) {
        assertEquals(h | 0x40, back & 0xFFFF, "nan " + Integer.toHexString(h));
      } else {
        assertEquals((short) h, back, "bf16 " + Integer.toHexString(h));
      }
    }
  }

  @Test
  void floats_round_to_the_nearest_bf16_ties_to_even() {
    Random rnd = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      int bits = rnd.nextInt();
      float f = Float.intBitsToFloat(bits);
      if (Float.isNaN(f)) {
        continue;
      }
      int below = (bits >>> 16) & 0xFFFF;               // truncation: toward zero in magnitude
      int above = below + 1;
      double a = Math.abs((double) f);
      double dBelow = a - Math.abs((double) BF16.toFloat((short) below));
      // Rounding past the largest finite value goes to infinity, as if toward 2^128.
      double aboveValue = (above & 0x7FFF) == 0x7F80 ? 0x1p128 : Math.abs((double) BF16.toFloat((short) above));
      double dAbove = aboveValue - a;
      int want;
      if (dBelow < dAbove) {
        want = below;
      } else if (dAbove < dBelow) {
        want = above;
      } else {
        want = (below & 1) == 0 ? below : above;
      }
      assertEquals((short) want, BF16.fromFloat(f), "float bits " + Integer.toHexString(bits));
    }
    assertEquals((short) 0x3F80, BF16.fromFloat(1.00390625f));
    assertEquals((short) 0x3F82, BF16.fromFloat(1.01171875f));
    assertEquals((short) 0x7F80, BF16.fromFloat(Float.MAX_VALUE));
  }
}

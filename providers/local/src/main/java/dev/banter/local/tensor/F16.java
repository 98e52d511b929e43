package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * IEEE 754 binary16 ("half") weights, ggml type {@code F16}: 2 bytes per weight, little-endian.
 * Also the conversions between float and half that every block format uses for its scales.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * short h = F16.fromFloat(0.1f);   // 0x2E66, rounded to nearest even
 * float f = F16.toFloat(h);        // 0.099975586
 * }</pre>
 */
public final class F16 {
  /** Weights per block. */
  public static final int BLOCK_SIZE = 1;
  /** Bytes per block. */
  public static final int TYPE_SIZE = 2;

  private static final float[] TO_FLOAT = new float[1 << 16];

  static {
    for (int h = 0; h < TO_FLOAT.length; h++) {
      TO_FLOAT[h] = Float.intBitsToFloat(halfBitsToFloatBits(h));
    }
  }

  private F16() {}

  /** The float value of the half whose bits are {@code h} (exact; every half is a float). */
  public static float toFloat(short h) {
    return TO_FLOAT[h & 0xFFFF];
  }

  /**
   * The half nearest to {@code f}, ties to even (as F16C's {@code vcvtps2ph} with rounding mode 0
   * and ggml's {@code GGML_FP32_TO_FP16}): values beyond 65520 become infinity, tiny values
   * become subnormal halfs or signed zero, NaN stays a quiet NaN with the top payload bits.
   */
  public static short fromFloat(float f) {
    int b = Float.floatToRawIntBits(f);
    int sign = (b >>> 16) & 0x8000;
    int a = b & 0x7FFFFFFF;
    if (a > 0x7F800000) {
      return (short) (sign | 0x7E00 | ((a >>> 13) & 0x3FF));
    }
    if (a >= 0x477FF000) {
      return (short) (sign | 0x7C00);
    }
    if (a < 0x38800000) {
      int exp = a >>> 23;
      int shift = 126 - exp;
      if (exp == 0 || shift > 24) {
        return (short) sign;
      }
      int mant = (a & 0x7FFFFF) | 0x800000;
      int q = mant >>> shift;
      int rem = mant & ((1 << shift) - 1);
      int half = 1 << (shift - 1);
      if (rem > half || (rem == half && (q & 1) != 0)) {
        q++;
      }
      return (short) (sign | q);
    }
    int base = a - 0x38000000;
    int q = base >>> 13;
    int rem = base & 0x1FFF;
    if (rem > 0x1000 || (rem == 0x1000 && (q & 1) != 0)) {
      q++;
    }
    return (short) (sign | q);
  }

  static int halfBitsToFloatBits(int h) {
    int sign = (h & 0x8000) << 16;
    int e = (h >>> 10) & 0x1F;
    int m = h & 0x3FF;
    if (e == 0) {
      if (m == 0) {
        return sign;
      }
      e = 1;
      while ((m & 0x400) == 0) {
        m <<= 1;
        e--;
      }
      m &= 0x3FF;
      return sign | ((e + 112) << 23) | (m << 13);
    }
    if (e == 31) {
      return sign | 0x7F800000 | (m << 13);
    }
    return sign | ((e + 112) << 23) | (m << 13);
  }

  /** Converts {@code n} halfs at byte {@code offset} of {@code src} to floats. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    for (int j = 0; j < n; j++) {
      dst[dstOffset + j] = TO_FLOAT[src.getShort(offset + 2 * j) & 0xFFFF];
    }
  }

  /** The dot product of {@code n} halfs at byte {@code offset} of {@code w} with {@code x}. */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    float sum = 0f;
    for (int j = 0; j < n; j++) {
      sum += TO_FLOAT[w.getShort(offset + 2 * j) & 0xFFFF] * x[xOffset + j];
    }
    return sum;
  }

  /** Writes {@code n} floats as halfs (nearest, ties to even) at byte {@code offset} of {@code dst}. */
  public static void quantizeRow(float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    for (int j = 0; j < n; j++) {
      dst.putShort(offset + 2 * j, fromFloat(src[srcOffset + j]));
    }
  }
}

package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * bfloat16 weights, ggml type {@code BF16}: the top 16 bits of a float32, 2 bytes per weight,
 * little-endian. Stateless and thread-safe.
 *
 * <pre>{@code
 * short b = BF16.fromFloat(1.00390625f);  // 0x3F80: the tie rounds to even
 * float f = BF16.toFloat(b);              // 1.0
 * }</pre>
 */
public final class BF16 {
  /** Weights per block. */
  public static final int BLOCK_SIZE = 1;
  /** Bytes per block. */
  public static final int TYPE_SIZE = 2;

  private BF16() {}

  /** The float value of the bfloat16 whose bits are {@code b} (exact). */
  public static float toFloat(short b) {
    return Float.intBitsToFloat((b & 0xFFFF) << 16);
  }

  /**
   * The bfloat16 nearest to {@code f}, ties to even, as ggml's {@code GGML_FP32_TO_BF16}: NaN is
   * made quiet (bit 6 set), subnormals are kept and rounded like any other value, values that
   * round past the largest finite bfloat16 become infinity.
   */
  public static short fromFloat(float f) {
    int u = Float.floatToRawIntBits(f);
    if ((u & 0x7FFFFFFF) > 0x7F800000) {
      return (short) ((u >>> 16) | 64);
    }
    return (short) ((u + (0x7FFF + ((u >>> 16) & 1))) >>> 16);
  }

  /** Converts {@code n} bfloat16 values at byte {@code offset} of {@code src} to floats. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    for (int j = 0; j < n; j++) {
      dst[dstOffset + j] = Float.intBitsToFloat((src.getShort(offset + 2 * j) & 0xFFFF) << 16);
    }
  }

  /** The dot product of {@code n} bfloat16 values at byte {@code offset} of {@code w} with {@code x}. */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    float sum = 0f;
    for (int j = 0; j < n; j++) {
      sum += Float.intBitsToFloat((w.getShort(offset + 2 * j) & 0xFFFF) << 16) * x[xOffset + j];
    }
    return sum;
  }

  /** Writes {@code n} floats as bfloat16 (ggml rounding) at byte {@code offset} of {@code dst}. */
  public static void quantizeRow(float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    for (int j = 0; j < n; j++) {
      dst.putShort(offset + 2 * j, fromFloat(src[srcOffset + j]));
    }
  }
}

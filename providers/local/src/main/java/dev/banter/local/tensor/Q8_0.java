package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q8_0}: blocks of 32 weights, each a half-precision scale {@code d} followed by 32
 * signed bytes; weight {@code j} is {@code d * qs[j]}. 34 bytes per 32 weights. Stateless and
 * thread-safe.
 *
 * <pre>
 * offset 0  : d      (F16)
 * offset 2  : qs[32] (int8)
 * </pre>
 *
 * <pre>{@code
 * ByteBuffer b = ByteBuffer.allocate(Q8_0.TYPE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
 * Q8_0.quantizeRow(x, 0, b, 0, 32);
 * float dot = Q8_0.dot(b, 0, y, 0, 32);
 * }</pre>
 */
public final class Q8_0 {
  /** Weights per block ({@code QK8_0}). */
  public static final int BLOCK_SIZE = 32;
  /** Bytes per block: the scale and the quants. */
  public static final int TYPE_SIZE = 2 + BLOCK_SIZE;

  private Q8_0() {}

  /** Expands {@code n} weights (a multiple of 32) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      for (int j = 0; j < BLOCK_SIZE; j++) {
        dst[dstOffset + i * BLOCK_SIZE + j] = src.get(b + 2 + j) * d;
      }
    }
  }

  /**
   * The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}. Its
   * loop has {@code Q4_0}'s shape on purpose: each block format keeps its own flat kernels, as
   * ggml-quants.c does (STYLE.md, section 7), so that each reads line by line against the C.
   */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      int xb = xOffset + i * BLOCK_SIZE;
      float s = 0f;
      for (int j = 0; j < BLOCK_SIZE; j++) {
        s += w.get(b + 2 + j) * x[xb + j];
      }
      sum += s * F16.toFloat(w.getShort(b));
    }
    return sum;
  }

  /**
   * Quantizes {@code n} floats (a multiple of 32) into blocks at byte {@code offset} of {@code
   * dst}, rounding as ggml's {@code quantize_row_q8_0_ref}: {@code d = max|x| / 127}, each quant
   * {@code roundf(x / d)} (halves away from zero), so files written here match llama.cpp's.
   */
  public static void quantizeRow(float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int xb = srcOffset + i * BLOCK_SIZE;
      float amax = 0f;
      for (int j = 0; j < BLOCK_SIZE; j++) {
        amax = Math.max(amax, Math.abs(src[xb + j]));
      }
      float d = amax / ((1 << 7) - 1);
      float id = d != 0f ? 1.0f / d : 0.0f;
      int b = offset + i * TYPE_SIZE;
      dst.putShort(b, F16.fromFloat(d));
      for (int j = 0; j < BLOCK_SIZE; j++) {
        dst.put(b + 2 + j, (byte) roundHalfAway(src[xb + j] * id));
      }
    }
  }

  /** C's {@code roundf}: nearest integer, halves away from zero. */
  static int roundHalfAway(float v) {
    float t = v < 0f ? (float) Math.ceil(v) : (float) Math.floor(v);
    float frac = v - t;
    if (frac >= 0.5f) {
      return (int) t + 1;
    }
    if (frac <= -0.5f) {
      return (int) t - 1;
    }
    return (int) t;
  }
}

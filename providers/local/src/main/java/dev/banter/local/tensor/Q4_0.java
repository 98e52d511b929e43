package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q4_0}: blocks of 32 weights, each a half-precision scale {@code d} followed by 16
 * bytes of 4-bit quants. Byte {@code j} holds weight {@code j} in its low nibble and weight {@code
 * j + 16} in its high nibble; a weight is {@code d * (q - 8)}. 18 bytes per 32 weights.
 * Stateless and thread-safe.
 *
 * <pre>
 * offset 0  : d      (F16)
 * offset 2  : qs[16] (low nibble: weights 0..15, high nibble: weights 16..31)
 * </pre>
 *
 * <pre>{@code
 * Q4_0.quantizeRow(x, 0, buffer, 0, 32);
 * Q4_0.dequantizeRow(buffer, 0, y, 0, 32);
 * }</pre>
 */
public final class Q4_0 {
  /** Weights per block ({@code QK4_0}). */
  public static final int BLOCK_SIZE = 32;
  /** Bytes per block: the scale and 16 bytes of nibbles. */
  public static final int TYPE_SIZE = 2 + BLOCK_SIZE / 2;

  private Q4_0() {}

  /** Expands {@code n} weights (a multiple of 32) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      int y = dstOffset + i * BLOCK_SIZE;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = src.get(b + 2 + j);
        int x0 = (q & 0x0F) - 8;
        int x1 = ((q >> 4) & 0x0F) - 8;
        dst[y + j] = x0 * d;
        dst[y + j + BLOCK_SIZE / 2] = x1 * d;
      }
    }
  }

  /**
   * The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}. Its
   * loop has {@code Q8_0}'s shape on purpose: each block format keeps its own flat kernels, as
   * ggml-quants.c does (STYLE.md, section 7), so that each reads line by line against the C.
   */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      int xb = xOffset + i * BLOCK_SIZE;
      float s = 0f;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = w.get(b + 2 + j);
        s += ((q & 0x0F) - 8) * x[xb + j] + (((q >> 4) & 0x0F) - 8) * x[xb + j + BLOCK_SIZE / 2];
      }
      sum += s * F16.toFloat(w.getShort(b));
    }
    return sum;
  }

  /**
   * Quantizes {@code n} floats (a multiple of 32) into blocks at byte {@code offset} of {@code
   * dst}, as ggml's {@code quantize_row_q4_0_ref}: the value of largest magnitude {@code max} maps
   * to -8, {@code d = max / -8}, each quant is {@code min(15, (int) (x / d + 8.5))}.
   */
  public static void quantizeRow(float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int xb = srcOffset + i * BLOCK_SIZE;
      float amax = 0f;
      float max = 0f;
      for (int j = 0; j < BLOCK_SIZE; j++) {
        float v = src[xb + j];
        if (amax < Math.abs(v)) {
          amax = Math.abs(v);
          max = v;
        }
      }
      float d = max / -8;
      float id = d != 0f ? 1.0f / d : 0.0f;
      int b = offset + i * TYPE_SIZE;
      dst.putShort(b, F16.fromFloat(d));
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        float x0 = src[xb + j] * id;
        float x1 = src[xb + BLOCK_SIZE / 2 + j] * id;
        int xi0 = Math.min(15, (byte) (int) (x0 + 8.5f));
        int xi1 = Math.min(15, (byte) (int) (x1 + 8.5f));
        dst.put(b + 2 + j, (byte) (xi0 | (xi1 << 4)));
      }
    }
  }
}

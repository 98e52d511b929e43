package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q4_1}: blocks of 32 weights, each a half-precision scale {@code d} and minimum
 * {@code m} followed by 16 bytes of 4-bit quants. Byte {@code j} holds weight {@code j} in its low
 * nibble and weight {@code j + 16} in its high nibble; a weight is {@code d * q + m}. 20 bytes per
 * 32 weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0  : d      (F16)
 * offset 2  : m      (F16)
 * offset 4  : qs[16] (low nibble: weights 0..15, high nibble: weights 16..31)
 * </pre>
 *
 * <pre>{@code
 * Q4_1.quantizeRow(x, 0, buffer, 0, 32);
 * Q4_1.dequantizeRow(buffer, 0, y, 0, 32);
 * }</pre>
 */
public final class Q4_1 {
  /** Weights per block ({@code QK4_1}). */
  public static final int BLOCK_SIZE = 32;
  /** Bytes per block: the scale, the minimum and 16 bytes of nibbles. */
  public static final int TYPE_SIZE = 4 + BLOCK_SIZE / 2;

  private Q4_1() {}

  /** Expands {@code n} weights (a multiple of 32) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      float m = F16.toFloat(src.getShort(b + 2));
      int y = dstOffset + i * BLOCK_SIZE;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = src.get(b + 4 + j);
        int x0 = q & 0x0F;
        int x1 = (q >> 4) & 0x0F;
        dst[y + j] = x0 * d + m;
        dst[y + j + BLOCK_SIZE / 2] = x1 * d + m;
      }
    }
  }

  /**
   * The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}: per
   * block {@code d * sum(q x) + m * sum(x)}, the split ggml's {@code vec_dot_q4_1_q8_1} makes
   * (there the sum of x comes with the Q8_1 activations).
   */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      int xb = xOffset + i * BLOCK_SIZE;
      float sq = 0f;
      float sx = 0f;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = w.get(b + 4 + j);
        float x0 = x[xb + j];
        float x1 = x[xb + j + BLOCK_SIZE / 2];
        sq += (q & 0x0F) * x0 + ((q >> 4) & 0x0F) * x1;
        sx += x0 + x1;
      }
      sum += sq * F16.toFloat(w.getShort(b)) + sx * F16.toFloat(w.getShort(b + 2));
    }
    return sum;
  }

  /**
   * Quantizes {@code n} floats (a multiple of 32) into blocks at byte {@code offset} of {@code
   * dst}, as ggml's {@code quantize_row_q4_1_ref}: {@code m} is the block's minimum, {@code d =
   * (max - min) / 15}, each quant {@code min(15, (int) ((x - m) / d + 0.5))}, so the bytes match
   * llama.cpp's.
   */
  public static void quantizeRow(float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int xb = srcOffset + i * BLOCK_SIZE;
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (int j = 0; j < BLOCK_SIZE; j++) {
        float v = src[xb + j];
        if (v < min) {
          min = v;
        }
        if (v > max) {
          max = v;
        }
      }
      float d = (max - min) / ((1 << 4) - 1);
      float id = d != 0f ? 1.0f / d : 0.0f;
      int b = offset + i * TYPE_SIZE;
      dst.putShort(b, F16.fromFloat(d));
      dst.putShort(b + 2, F16.fromFloat(min));
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        float x0 = (src[xb + j] - min) * id;
        float x1 = (src[xb + BLOCK_SIZE / 2 + j] - min) * id;
        int xi0 = Math.min(15, (byte) (int) (x0 + 0.5f));
        int xi1 = Math.min(15, (byte) (int) (x1 + 0.5f));
        dst.put(b + 4 + j, (byte) (xi0 | (xi1 << 4)));
      }
    }
  }
}

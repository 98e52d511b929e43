package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q5_1}: blocks of 32 weights, each a half-precision scale {@code d} and minimum
 * {@code m}, 32 high bits and 16 bytes of low nibbles, laid out as in {@link Q5_0}: byte {@code
 * j} of {@code qs} holds the low four bits of weights {@code j} (low nibble) and {@code j + 16}
 * (high nibble), bit {@code k} of the little-endian {@code qh} is bit 4 of weight {@code k}. A
 * weight is {@code d * q + m}. 24 bytes per 32 weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0  : d      (F16)
 * offset 2  : m      (F16)
 * offset 4  : qh[4]  (uint32 LE: bit k is bit 4 of weight k)
 * offset 8  : qs[16] (low nibble: weights 0..15, high nibble: weights 16..31)
 * </pre>
 *
 * <pre>{@code
 * Q5_1.quantizeRow(x, 0, buffer, 0, 32);
 * Q5_1.dequantizeRow(buffer, 0, y, 0, 32);
 * }</pre>
 */
public final class Q5_1 {
  /** Weights per block ({@code QK5_1}). */
  public static final int BLOCK_SIZE = 32;
  /** Bytes per block: the scale, the minimum, the high bits and 16 bytes of nibbles. */
  public static final int TYPE_SIZE = 4 + 4 + BLOCK_SIZE / 2;
  /** Offset of {@code qh} in a block. */
  static final int QH = 4;
  /** Offset of {@code qs} in a block. */
  static final int QS = 8;

  private Q5_1() {}

  /** Expands {@code n} weights (a multiple of 32) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      float m = F16.toFloat(src.getShort(b + 2));
      int qh = src.getInt(b + QH);
      int y = dstOffset + i * BLOCK_SIZE;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = src.get(b + QS + j);
        int xh0 = ((qh >>> j) << 4) & 0x10;
        int xh1 = (qh >>> (j + 12)) & 0x10;
        int x0 = (q & 0x0F) | xh0;
        int x1 = ((q >> 4) & 0x0F) | xh1;
        dst[y + j] = x0 * d + m;
        dst[y + j + BLOCK_SIZE / 2] = x1 * d + m;
      }
    }
  }

  /**
   * The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}: per
   * block {@code d * sum(q x) + m * sum(x)}, as {@link Q4_1#dot} (ggml's {@code
   * vec_dot_q5_1_q8_1} splits it the same way).
   */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      int xb = xOffset + i * BLOCK_SIZE;
      int qh = w.getInt(b + QH);
      float sq = 0f;
      float sx = 0f;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = w.get(b + QS + j);
        float x0 = x[xb + j];
        float x1 = x[xb + j + BLOCK_SIZE / 2];
        sq += ((q & 0x0F) | (((qh >>> j) << 4) & 0x10)) * x0
            + (((q >> 4) & 0x0F) | ((qh >>> (j + 12)) & 0x10)) * x1;
        sx += x0 + x1;
      }
      sum += sq * F16.toFloat(w.getShort(b)) + sx * F16.toFloat(w.getShort(b + 2));
    }
    return sum;
  }

  /**
   * Quantizes {@code n} floats (a multiple of 32) into blocks at byte {@code offset} of {@code
   * dst}, as ggml's {@code quantize_row_q5_1_ref}: {@code m} is the block's minimum, {@code d =
   * (max - min) / 31}, each quant {@code (int) ((x - m) / d + 0.5)}, its bit 4 going to {@code
   * qh}; so the bytes match llama.cpp's.
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
      float d = (max - min) / ((1 << 5) - 1);
      float id = d != 0f ? 1.0f / d : 0.0f;
      int b = offset + i * TYPE_SIZE;
      dst.putShort(b, F16.fromFloat(d));
      dst.putShort(b + 2, F16.fromFloat(min));
      int qh = 0;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        float x0 = (src[xb + j] - min) * id;
        float x1 = (src[xb + BLOCK_SIZE / 2 + j] - min) * id;
        int xi0 = (int) (x0 + 0.5f) & 0xFF;
        int xi1 = (int) (x1 + 0.5f) & 0xFF;
        dst.put(b + QS + j, (byte) ((xi0 & 0x0F) | ((xi1 & 0x0F) << 4)));
        qh |= ((xi0 & 0x10) >>> 4) << j;
        qh |= ((xi1 & 0x10) >>> 4) << (j + BLOCK_SIZE / 2);
      }
      dst.putInt(b + QH, qh);
    }
  }
}

package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q5_0}: blocks of 32 weights, each a half-precision scale {@code d}, 32 high bits
 * and 16 bytes of low nibbles. Byte {@code j} of {@code qs} holds the low four bits of weight
 * {@code j} in its low nibble and of weight {@code j + 16} in its high nibble; bit {@code k} of
 * {@code qh}, read as a little-endian 32-bit integer, is bit 4 of weight {@code k}. A weight is
 * {@code d * (q - 16)}. 22 bytes per 32 weights. llama-quantize writes Q5_0 for the tensors of a
 * Q4_K_M file whose rows are not whole 256-weight super-blocks (Qwen2.5-0.5B's 896 columns).
 * Stateless and thread-safe.
 *
 * <pre>
 * offset 0  : d      (F16)
 * offset 2  : qh[4]  (uint32 LE: bit k is bit 4 of weight k)
 * offset 6  : qs[16] (low nibble: weights 0..15, high nibble: weights 16..31)
 * </pre>
 *
 * <pre>{@code
 * Q5_0.quantizeRow(x, 0, buffer, 0, 32);
 * Q5_0.dequantizeRow(buffer, 0, y, 0, 32);
 * }</pre>
 */
public final class Q5_0 {
  /** Weights per block ({@code QK5_0}). */
  public static final int BLOCK_SIZE = 32;
  /** Bytes per block: the scale, the high bits and 16 bytes of nibbles. */
  public static final int TYPE_SIZE = 2 + 4 + BLOCK_SIZE / 2;
  /** Offset of {@code qh} in a block. */
  static final int QH = 2;
  /** Offset of {@code qs} in a block. */
  static final int QS = 6;

  private Q5_0() {}

  /** Expands {@code n} weights (a multiple of 32) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      int qh = src.getInt(b + QH);
      int y = dstOffset + i * BLOCK_SIZE;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = src.get(b + QS + j);
        int xh0 = ((qh >>> j) << 4) & 0x10;
        int xh1 = (qh >>> (j + 12)) & 0x10;
        int x0 = ((q & 0x0F) | xh0) - 16;
        int x1 = (((q >> 4) & 0x0F) | xh1) - 16;
        dst[y + j] = x0 * d;
        dst[y + j + BLOCK_SIZE / 2] = x1 * d;
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
      int qh = w.getInt(b + QH);
      float s = 0f;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = w.get(b + QS + j);
        int x0 = ((q & 0x0F) | (((qh >>> j) << 4) & 0x10)) - 16;
        int x1 = (((q >> 4) & 0x0F) | ((qh >>> (j + 12)) & 0x10)) - 16;
        s += x0 * x[xb + j] + x1 * x[xb + j + BLOCK_SIZE / 2];
      }
      sum += s * F16.toFloat(w.getShort(b));
    }
    return sum;
  }

  /**
   * Quantizes {@code n} floats (a multiple of 32) into blocks at byte {@code offset} of {@code
   * dst}, as ggml's {@code quantize_row_q5_0_ref}: the value of largest magnitude {@code max} maps
   * to -16, {@code d = max / -16}, each quant is {@code min(31, (int) (x / d + 16.5))}, its bit 4
   * going to {@code qh}; so the bytes match llama.cpp's.
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
      float d = max / -16;
      float id = d != 0f ? 1.0f / d : 0.0f;
      int b = offset + i * TYPE_SIZE;
      dst.putShort(b, F16.fromFloat(d));
      int qh = 0;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        float x0 = src[xb + j] * id;
        float x1 = src[xb + BLOCK_SIZE / 2 + j] * id;
        int xi0 = Math.min(31, (byte) (int) (x0 + 16.5f)) & 0xFF;
        int xi1 = Math.min(31, (byte) (int) (x1 + 16.5f)) & 0xFF;
        dst.put(b + QS + j, (byte) ((xi0 & 0x0F) | ((xi1 & 0x0F) << 4)));
        qh |= ((xi0 & 0x10) >>> 4) << j;
        qh |= ((xi1 & 0x10) >>> 4) << (j + BLOCK_SIZE / 2);
      }
      dst.putInt(b + QH, qh);
    }
  }
}

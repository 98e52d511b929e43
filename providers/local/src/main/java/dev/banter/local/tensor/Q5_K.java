package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q5_K}: super-blocks of 256 weights in 8 sub-blocks of 32, like {@link Q4_K} plus a
 * fifth bit per weight. Each super-block holds a half {@code d}, a half {@code dmin}, the 12 packed
 * 6-bit scale/min bytes of {@code Q4_K}, 32 bytes of high bits and 128 bytes of low nibbles.
 * Weight = {@code d * sc * (q + 16 * h) - dmin * m}. 176 bytes per 256 weights. Stateless and
 * thread-safe.
 *
 * <pre>
 * offset 0   : d          (F16)
 * offset 2   : dmin       (F16)
 * offset 4   : scales[12] (as Q4_K)
 * offset 16  : qh[32]     (bit k of qh[l]: high bit of weight l of sub-block k)
 * offset 48  : qs[128]    (as Q4_K)
 * </pre>
 *
 * <pre>{@code
 * Q5_K.dequantizeRow(tensor, rowOffset, row, 0, cols);
 * }</pre>
 */
public final class Q5_K {
  /** Weights per super-block ({@code QK_K}). */
  public static final int BLOCK_SIZE = 256;
  /** Bytes per super-block: d, dmin, 12 scale bytes, 32 high-bit bytes, 128 quant bytes. */
  public static final int TYPE_SIZE = 2 + 2 + 12 + BLOCK_SIZE / 8 + BLOCK_SIZE / 2;

  static final int SCALES = 4;
  static final int QH = 16;
  static final int QS = 48;

  private Q5_K() {}

  /** Expands {@code n} weights (a multiple of 256) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    int y = dstOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      float dmin = F16.toFloat(src.getShort(b + 2));
      int ql = b + QS;
      int qh = b + QH;
      int is = 0;
      int u1 = 1;
      int u2 = 2;
      for (int j = 0; j < BLOCK_SIZE; j += 64) {
        float d1 = d * Q4_K.scale(src, b + SCALES, is);
        float m1 = dmin * Q4_K.min(src, b + SCALES, is);
        float d2 = d * Q4_K.scale(src, b + SCALES, is + 1);
        float m2 = dmin * Q4_K.min(src, b + SCALES, is + 1);
        for (int l = 0; l < 32; l++) {
          dst[y++] = d1 * ((src.get(ql + l) & 0xF) + ((src.get(qh + l) & u1) != 0 ? 16 : 0)) - m1;
        }
        for (int l = 0; l < 32; l++) {
          dst[y++] = d2 * (((src.get(ql + l) & 0xFF) >> 4) + ((src.get(qh + l) & u2) != 0 ? 16 : 0)) - m2;
        }
        ql += 32;
        is += 2;
        u1 <<= 2;
        u2 <<= 2;
      }
    }
  }

  /**
   * The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}. Its
   * loop has {@code Q4_K}'s shape on purpose: each block format keeps its own flat kernels, as
   * ggml-quants.c does (STYLE.md, section 7), so that each reads line by line against the C.
   */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    int xi = xOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(w.getShort(b));
      float dmin = F16.toFloat(w.getShort(b + 2));
      int ql = b + QS;
      int qh = b + QH;
      int is = 0;
      int shift = 0;
      float sumq = 0f;
      float summ = 0f;
      for (int j = 0; j < BLOCK_SIZE; j += 64) {
        float q1 = 0f;
        float x1 = 0f;
        float q2 = 0f;
        float x2 = 0f;
        for (int l = 0; l < 32; l++) {
          int v = w.get(ql + l) & 0xFF;
          int h = (w.get(qh + l) & 0xFF) >> shift;
          float a = x[xi + l];
          float c = x[xi + 32 + l];
          q1 += ((v & 0xF) | ((h & 1) << 4)) * a;
          x1 += a;
          q2 += ((v >> 4) | ((h & 2) << 3)) * c;
          x2 += c;
        }
        sumq += Q4_K.scale(w, b + SCALES, is) * q1 + Q4_K.scale(w, b + SCALES, is + 1) * q2;
        summ += Q4_K.min(w, b + SCALES, is) * x1 + Q4_K.min(w, b + SCALES, is + 1) * x2;
        ql += 32;
        is += 2;
        shift += 2;
        xi += 64;
      }
      sum += d * sumq - dmin * summ;
    }
    return sum;
  }
}

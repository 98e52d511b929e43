package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q4_K}: super-blocks of 256 weights in 8 sub-blocks of 32. Each super-block holds
 * a half scale {@code d}, a half {@code dmin}, 12 bytes packing eight 6-bit scales and eight 6-bit
 * mins, and 128 bytes of 4-bit quants. Weight = {@code d * sc * q - dmin * m}. 144 bytes per 256
 * weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0   : d          (F16)
 * offset 2   : dmin       (F16)
 * offset 4   : scales[12] (see {@link #scale} and {@link #min})
 * offset 16  : qs[128]    (each 32 bytes: low nibbles = sub-block 2k, high nibbles = sub-block 2k+1)
 * </pre>
 *
 * <pre>{@code
 * float[] row = new float[cols];
 * Q4_K.dequantizeRow(tensor, rowIndex * (cols / 256 * Q4_K.TYPE_SIZE), row, 0, cols);
 * }</pre>
 */
public final class Q4_K {
  /** Weights per super-block ({@code QK_K}). */
  public static final int BLOCK_SIZE = 256;
  /** Bytes per super-block: d, dmin, 12 scale bytes, 128 quant bytes. */
  public static final int TYPE_SIZE = 2 + 2 + 12 + BLOCK_SIZE / 2;

  static final int SCALES = 4;
  static final int QS = 16;

  private Q4_K() {}

  /**
   * The 6-bit scale of sub-block {@code j} (0..7) from the 12 scale bytes at {@code s}, as ggml's
   * {@code get_scale_min_k4}: sub-blocks 0..3 take the low 6 bits of bytes 0..3; sub-blocks 4..7
   * take the low nibble of bytes 8..11 and, as high bits, the top 2 bits of bytes 0..3.
   */
  static int scale(ByteBuffer b, int s, int j) {
    if (j < 4) {
      return b.get(s + j) & 63;
    }
    return (b.get(s + j + 4) & 0xF) | (((b.get(s + j - 4) & 0xFF) >> 6) << 4);
  }

  /**
   * The 6-bit min of sub-block {@code j}: bytes 4..7 for sub-blocks 0..3; for 4..7 the high
   * nibble of bytes 8..11 with the top 2 bits of bytes 4..7.
   */
  static int min(ByteBuffer b, int s, int j) {
    if (j < 4) {
      return b.get(s + j + 4) & 63;
    }
    return ((b.get(s + j + 4) & 0xFF) >> 4) | (((b.get(s + j) & 0xFF) >> 6) << 4);
  }

  /** Expands {@code n} weights (a multiple of 256) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    int y = dstOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      float dmin = F16.toFloat(src.getShort(b + 2));
      int q = b + QS;
      int is = 0;
      for (int j = 0; j < BLOCK_SIZE; j += 64) {
        float d1 = d * scale(src, b + SCALES, is);
        float m1 = dmin * min(src, b + SCALES, is);
        float d2 = d * scale(src, b + SCALES, is + 1);
        float m2 = dmin * min(src, b + SCALES, is + 1);
        for (int l = 0; l < 32; l++) {
          dst[y++] = d1 * (src.get(q + l) & 0xF) - m1;
        }
        for (int l = 0; l < 32; l++) {
          dst[y++] = d2 * ((src.get(q + l) & 0xFF) >> 4) - m2;
        }
        q += 32;
        is += 2;
      }
    }
  }

  /** The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}. */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    int xi = xOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(w.getShort(b));
      float dmin = F16.toFloat(w.getShort(b + 2));
      int q = b + QS;
      int is = 0;
      float sumq = 0f;
      float summ = 0f;
      for (int j = 0; j < BLOCK_SIZE; j += 64) {
        float q1 = 0f;
        float x1 = 0f;
        float q2 = 0f;
        float x2 = 0f;
        for (int l = 0; l < 32; l++) {
          int v = w.get(q + l) & 0xFF;
          float a = x[xi + l];
          float c = x[xi + 32 + l];
          q1 += (v & 0xF) * a;
          x1 += a;
          q2 += (v >> 4) * c;
          x2 += c;
        }
        sumq += scale(w, b + SCALES, is) * q1 + scale(w, b + SCALES, is + 1) * q2;
        summ += min(w, b + SCALES, is) * x1 + min(w, b + SCALES, is + 1) * x2;
        q += 32;
        is += 2;
        xi += 64;
      }
      sum += d * sumq - dmin * summ;
    }
    return sum;
  }
}

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

  /**
   * The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}. Its
   * loop has {@code Q5_K}'s shape on purpose: each block format keeps its own flat kernels, as
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

  /**
   * Quantizes {@code n} floats (a multiple of 256) into super-blocks at byte {@code offset} of
   * {@code dst}. Each sub-block of 32 gets the range [min(0, lo), hi] of its values: its scale
   * {@code (hi - lo) / 15} and its min {@code -min(0, lo)} are stored as 6-bit multiples of the
   * super-block's d and dmin, rounded up so that the grid covers the values, and each weight
   * takes the nearest of its 16 levels. Simpler than llama.cpp's search for the best scales (so
   * not byte-identical to its files) but within the format's usual error: a weight is off by at
   * most half a step of its sub-block, or by dmin at the top of a sub-block's range.
   */
  public static void quantizeRow(float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    int nb = n / BLOCK_SIZE;
    float[] scale = new float[8];
    float[] min = new float[8];
    int[] sc = new int[8];
    int[] m = new int[8];
    for (int i = 0; i < nb; i++) {
      int xb = srcOffset + i * BLOCK_SIZE;
      float maxScale = 0f;
      float maxMin = 0f;
      for (int j = 0; j < 8; j++) {
        float lo = 0f;
        float hi = -Float.MAX_VALUE;
        for (int l = 0; l < 32; l++) {
          float v = src[xb + 32 * j + l];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        hi = Math.max(hi, lo);
        scale[j] = (hi - lo) / 15;
        min[j] = -lo;
        maxScale = Math.max(maxScale, scale[j]);
        maxMin = Math.max(maxMin, min[j]);
      }
      short d16 = superScale(maxScale / 63);
      short dmin16 = superScale(maxMin / 63);
      float d = F16.toFloat(d16);
      float dmin = F16.toFloat(dmin16);
      for (int j = 0; j < 8; j++) {
        sc[j] = d > 0f ? Math.min(63, (int) Math.ceil(scale[j] / d)) : 0;
        m[j] = dmin > 0f ? Math.min(63, (int) Math.ceil(min[j] / dmin)) : 0;
      }
      int b = offset + i * TYPE_SIZE;
      dst.putShort(b, d16);
      dst.putShort(b + 2, dmin16);
      for (int j = 0; j < 4; j++) {
        dst.put(b + SCALES + j, (byte) (sc[j] | (sc[j + 4] >> 4) << 6));
        dst.put(b + SCALES + j + 4, (byte) (m[j] | (m[j + 4] >> 4) << 6));
        dst.put(b + SCALES + j + 8, (byte) ((sc[j + 4] & 0xF) | (m[j + 4] & 0xF) << 4));
      }
      for (int g = 0; g < 4; g++) {
        float d1 = d * sc[2 * g];
        float m1 = dmin * m[2 * g];
        float d2 = d * sc[2 * g + 1];
        float m2 = dmin * m[2 * g + 1];
        for (int l = 0; l < 32; l++) {
          int q1 = level(src[xb + 64 * g + l] + m1, d1, 15);
          int q2 = level(src[xb + 64 * g + 32 + l] + m2, d2, 15);
          dst.put(b + QS + 32 * g + l, (byte) (q1 | q2 << 4));
        }
      }
    }
  }

  /** The half nearest above {@code v} (so that 63 steps of it reach {@code 63 v}). */
  static short superScale(float v) {
    short h = F16.fromFloat(v);
    if (F16.toFloat(h) < v) {
      h = (short) (h + 1);
    }
    return h;
  }

  /** The nearest of the levels {@code 0, step, .., top * step} to {@code v}. */
  static int level(float v, float step, int top) {
    if (step <= 0f) {
      return 0;
    }
    return Math.max(0, Math.min(top, Math.round(v / step)));
  }
}

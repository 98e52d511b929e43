package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q2_K}: super-blocks of 256 weights in 16 sub-blocks of 16, each weight 2 bits.
 * Each sub-block has a 4-bit scale and a 4-bit min packed in one byte; the super-block holds a
 * half {@code d} for the scales and a half {@code dmin} for the mins. Weight = {@code d * sc * q -
 * dmin * m}. 84 bytes per 256 weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0   : scales[16] (low nibble: scale of sub-block j, high nibble: its min)
 * offset 16  : qs[64]     (2-bit quants, four per byte)
 * offset 80  : d          (F16)
 * offset 82  : dmin       (F16)
 * </pre>
 *
 * Each half of 128 weights uses 32 {@code qs} bytes: weight {@code l + 32 k} of the half (l in
 * 0..31, k in 0..3) is bits {@code 2k, 2k+1} of {@code qs[l]}. Sub-block {@code j} is weights
 * {@code 16 j .. 16 j + 15}, so a weight at position p of the super-block takes {@code
 * scales[p / 16]}.
 *
 * <pre>{@code
 * Q2_K.dequantizeRow(tensor, rowOffset, row, 0, cols);
 * }</pre>
 */
public final class Q2_K {
  /** Weights per super-block ({@code QK_K}). */
  public static final int BLOCK_SIZE = 256;
  /** Bytes per super-block: 16 scale/min bytes, 64 quant bytes, d, dmin. */
  public static final int TYPE_SIZE = BLOCK_SIZE / 16 + BLOCK_SIZE / 4 + 2 + 2;

  static final int SCALES = 0;
  static final int QS = 16;
  static final int D = 80;
  static final int DMIN = 82;

  private Q2_K() {}

  /** Expands {@code n} weights (a multiple of 256) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    int y = dstOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b + D));
      float dmin = F16.toFloat(src.getShort(b + DMIN));
      int q = b + QS;
      int is = b + SCALES;
      for (int half = 0; half < 2; half++) {
        for (int shift = 0; shift < 8; shift += 2) {
          for (int part = 0; part < 32; part += 16) {
            int sc = src.get(is++) & 0xFF;
            float dl = d * (sc & 0xF);
            float ml = dmin * (sc >> 4);
            for (int l = part; l < part + 16; l++) {
              dst[y++] = dl * (((src.get(q + l) & 0xFF) >> shift) & 3) - ml;
            }
          }
        }
        q += 32;
      }
    }
  }

  /**
   * The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}. As
   * ggml's reference {@code vec_dot}, the mins' share is taken apart: per sub-block the sum of
   * {@code q x} times its scale and the sum of x times its min, then {@code d * sumq - dmin *
   * summ} per super-block.
   */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    int xi = xOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(w.getShort(b + D));
      float dmin = F16.toFloat(w.getShort(b + DMIN));
      int q = b + QS;
      int is = b + SCALES;
      float sumq = 0f;
      float summ = 0f;
      for (int half = 0; half < 2; half++) {
        for (int shift = 0; shift < 8; shift += 2) {
          for (int part = 0; part < 32; part += 16) {
            int sc = w.get(is++) & 0xFF;
            float qx = 0f;
            float xs = 0f;
            for (int l = part; l < part + 16; l++) {
              float a = x[xi++];
              qx += (((w.get(q + l) & 0xFF) >> shift) & 3) * a;
              xs += a;
            }
            sumq += (sc & 0xF) * qx;
            summ += (sc >> 4) * xs;
          }
        }
        q += 32;
      }
      sum += d * sumq - dmin * summ;
    }
    return sum;
  }
}

package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q3_K}: super-blocks of 256 weights in 16 sub-blocks of 16, each weight 3 bits
 * (two low bits in {@code qs}, a high bit in {@code hmask}), each sub-block a 6-bit scale stored
 * with an offset of 32, one half scale {@code d} per super-block. Weight = {@code d * (sc - 32) *
 * q} with q in -4..3: the two low bits, minus 4 when the high bit is clear. 110 bytes per 256
 * weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0   : hmask[32]  (bit k of hmask[l]: high bit of weight l + 32 k)
 * offset 32  : qs[64]     (2-bit quants, four per byte, laid out as Q2_K's)
 * offset 96  : scales[12] (sixteen 6-bit scales, see {@link #scale})
 * offset 108 : d          (F16)
 * </pre>
 *
 * Each half of 128 weights uses 32 {@code qs} bytes: weight {@code l + 32 k} of half h (l in
 * 0..31, k in 0..3) is bits {@code 2k, 2k+1} of {@code qs[32 h + l]} with high bit {@code 4 h +
 * k} of {@code hmask[l]}; weight p of the super-block takes scale {@code p / 16}.
 *
 * <pre>{@code
 * Q3_K.dequantizeRow(tensor, rowOffset, row, 0, cols);
 * }</pre>
 */
public final class Q3_K {
  /** Weights per super-block ({@code QK_K}). */
  public static final int BLOCK_SIZE = 256;
  /** Bytes per super-block: 32 high-bit bytes, 64 quant bytes, 12 scale bytes, d. */
  public static final int TYPE_SIZE = BLOCK_SIZE / 8 + BLOCK_SIZE / 4 + 12 + 2;

  static final int HMASK = 0;
  static final int QS = 32;
  static final int SCALES = 96;
  static final int D = 108;

  private Q3_K() {}

  /**
   * The signed scale (-32..31) of sub-block {@code j} (0..15) from the 12 bytes at {@code s}, as
   * ggml's unpacking with {@code kmask1}/{@code kmask2}: its low 4 bits are the low nibble of byte
   * {@code j} (j < 8) or the high nibble of byte {@code j - 8}; its top 2 bits are bits {@code 2 (j
   * / 4)} and up of byte {@code 8 + j % 4}; the stored value is offset by 32.
   */
  static int scale(ByteBuffer b, int s, int j) {
    int low = j < 8 ? b.get(s + j) & 0xF : (b.get(s + j - 8) & 0xFF) >> 4;
    int high = ((b.get(s + 8 + (j & 3)) & 0xFF) >> (2 * (j >> 2))) & 3;
    return (low | high << 4) - 32;
  }

  /** Expands {@code n} weights (a multiple of 256) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    int y = dstOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b + D));
      int q = b + QS;
      int hm = b + HMASK;
      int is = 0;
      int bit = 0;
      for (int half = 0; half < 2; half++) {
        for (int shift = 0; shift < 8; shift += 2) {
          for (int part = 0; part < 32; part += 16) {
            float dl = d * scale(src, b + SCALES, is++);
            for (int l = part; l < part + 16; l++) {
              int low = ((src.get(q + l) & 0xFF) >> shift) & 3;
              int high = ((src.get(hm + l) & 0xFF) >> bit) & 1;
              dst[y++] = dl * (low - (high == 0 ? 4 : 0));
            }
          }
          bit++;
        }
        q += 32;
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
      float d = F16.toFloat(w.getShort(b + D));
      int q = b + QS;
      int hm = b + HMASK;
      int is = 0;
      int bit = 0;
      float sumq = 0f;
      for (int half = 0; half < 2; half++) {
        for (int shift = 0; shift < 8; shift += 2) {
          for (int part = 0; part < 32; part += 16) {
            float qx = 0f;
            for (int l = part; l < part + 16; l++) {
              int low = ((w.get(q + l) & 0xFF) >> shift) & 3;
              int high = ((w.get(hm + l) & 0xFF) >> bit) & 1;
              qx += (low - (high == 0 ? 4 : 0)) * x[xi++];
            }
            sumq += scale(w, b + SCALES, is++) * qx;
          }
          bit++;
        }
        q += 32;
      }
      sum += d * sumq;
    }
    return sum;
  }
}

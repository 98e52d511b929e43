package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code IQ4_XS}: super-blocks of 256 weights in 8 sub-blocks of 32. Each weight is a
 * 4-bit index into the fixed non-linear table {@link #KVALUES} (ggml's {@code kvalues_iq4nl});
 * each sub-block has a 6-bit scale stored with an offset of 32, split into a low nibble in {@code
 * scales_l} and two high bits in {@code scales_h}; one half {@code d} per super-block. Weight =
 * {@code d * (ls - 32) * KVALUES[q]}. 136 bytes per 256 weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0   : d           (F16)
 * offset 2   : scales_h    (u16, little-endian: bits 2j, 2j+1 = top bits of scale j)
 * offset 4   : scales_l[4] (low nibble: scale 2k, high nibble: scale 2k+1)
 * offset 8   : qs[128]     (16 bytes per sub-block, as Q4_0: low nibbles weights 0..15, high 16..31)
 * </pre>
 *
 * <pre>{@code
 * IQ4_XS.dequantizeRow(tensor, rowOffset, row, 0, cols);
 * }</pre>
 */
public final class IQ4_XS {
  /** Weights per super-block ({@code QK_K}). */
  public static final int BLOCK_SIZE = 256;
  /** Bytes per super-block: d, scales_h, 4 scales_l bytes, 128 quant bytes. */
  public static final int TYPE_SIZE = 2 + 2 + BLOCK_SIZE / 64 + BLOCK_SIZE / 2;

  /** ggml's {@code kvalues_iq4nl}: the value of each 4-bit index. */
  static final byte[] KVALUES = {
    -127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113
  };

  static final int D = 0;
  static final int SCALES_H = 2;
  static final int SCALES_L = 4;
  static final int QS = 8;

  private IQ4_XS() {}

  /** The signed scale (-32..31) of sub-block {@code ib} (0..7) of the super-block at {@code b}. */
  static int scale(ByteBuffer w, int b, int ib) {
    int low = ((w.get(b + SCALES_L + ib / 2) & 0xFF) >> (4 * (ib & 1))) & 0xF;
    int high = ((w.getShort(b + SCALES_H) & 0xFFFF) >> (2 * ib)) & 3;
    return (low | high << 4) - 32;
  }

  /** Expands {@code n} weights (a multiple of 256) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    int y = dstOffset;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b + D));
      int qs = b + QS;
      for (int ib = 0; ib < 8; ib++) {
        float dl = d * scale(src, b, ib);
        for (int j = 0; j < 16; j++) {
          int q = src.get(qs + j) & 0xFF;
          dst[y + j] = dl * KVALUES[q & 0xF];
          dst[y + j + 16] = dl * KVALUES[q >> 4];
        }
        y += 32;
        qs += 16;
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
      int qs = b + QS;
      float sumq = 0f;
      for (int ib = 0; ib < 8; ib++) {
        float s = 0f;
        for (int j = 0; j < 16; j++) {
          int q = w.get(qs + j) & 0xFF;
          s += KVALUES[q & 0xF] * x[xi + j] + KVALUES[q >> 4] * x[xi + j + 16];
        }
        sumq += scale(w, b, ib) * s;
        xi += 32;
        qs += 16;
      }
      sum += d * sumq;
    }
    return sum;
  }
}

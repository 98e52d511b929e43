package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code Q6_K}: super-blocks of 256 weights in 16 sub-blocks of 16, each weight 6 bits
 * (a low nibble in {@code ql}, two high bits in {@code qh}), each sub-block an 8-bit signed
 * scale, one half scale {@code d} per super-block. Weight = {@code d * sc * (q - 32)}. 210 bytes
 * per 256 weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0   : ql[128]    (low nibbles)
 * offset 128 : qh[64]     (high 2-bit pairs)
 * offset 192 : scales[16] (int8)
 * offset 208 : d          (F16)
 * </pre>
 *
 * Each half of 128 weights uses 64 {@code ql} bytes, 32 {@code qh} bytes and 8 scales: weight
 * {@code l + 32 k} (l in 0..31, k in 0..3) takes the low ({@code k} even) or high ({@code k} odd)
 * nibble of {@code ql[l + 32 (k & 1)]} and bits {@code 2k, 2k+1} of {@code qh[l]}.
 *
 * <pre>{@code
 * Q6_K.dequantizeRow(tensor, rowOffset, row, 0, cols);
 * }</pre>
 */
public final class Q6_K {
  /** Weights per super-block ({@code QK_K}). */
  public static final int BLOCK_SIZE = 256;
  /** Bytes per super-block: 128 low-nibble bytes, 64 high-bit bytes, 16 scales, d. */
  public static final int TYPE_SIZE = BLOCK_SIZE / 2 + BLOCK_SIZE / 4 + BLOCK_SIZE / 16 + 2;

  static final int QL = 0;
  static final int QH = 128;
  static final int SCALES = 192;
  static final int D = 208;

  private Q6_K() {}

  /** Expands {@code n} weights (a multiple of 256) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b + D));
      int ql = b + QL;
      int qh = b + QH;
      int sc = b + SCALES;
      int y = dstOffset + i * BLOCK_SIZE;
      for (int n128 = 0; n128 < BLOCK_SIZE; n128 += 128) {
        for (int l = 0; l < 32; l++) {
          int is = l / 16;
          int h = src.get(qh + l) & 0xFF;
          int lo = src.get(ql + l) & 0xFF;
          int hi = src.get(ql + l + 32) & 0xFF;
          int q1 = ((lo & 0xF) | (((h >> 0) & 3) << 4)) - 32;
          int q2 = ((hi & 0xF) | (((h >> 2) & 3) << 4)) - 32;
          int q3 = ((lo >> 4) | (((h >> 4) & 3) << 4)) - 32;
          int q4 = ((hi >> 4) | (((h >> 6) & 3) << 4)) - 32;
          dst[y + l] = d * src.get(sc + is) * q1;
          dst[y + l + 32] = d * src.get(sc + is + 2) * q2;
          dst[y + l + 64] = d * src.get(sc + is + 4) * q3;
          dst[y + l + 96] = d * src.get(sc + is + 6) * q4;
        }
        y += 128;
        ql += 64;
        qh += 32;
        sc += 8;
      }
    }
  }

  /** The dot product of {@code n} weights at byte {@code offset} of {@code w} with {@code x}. */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    int nb = n / BLOCK_SIZE;
    float sum = 0f;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(w.getShort(b + D));
      int ql = b + QL;
      int qh = b + QH;
      int sc = b + SCALES;
      int xi = xOffset + i * BLOCK_SIZE;
      float sumb = 0f;
      for (int n128 = 0; n128 < BLOCK_SIZE; n128 += 128) {
        for (int half = 0; half < 2; half++) {
          float s1 = 0f;
          float s2 = 0f;
          float s3 = 0f;
          float s4 = 0f;
          for (int l = half * 16; l < half * 16 + 16; l++) {
            int h = w.get(qh + l) & 0xFF;
            int lo = w.get(ql + l) & 0xFF;
            int hi = w.get(ql + l + 32) & 0xFF;
            s1 += (((lo & 0xF) | (((h >> 0) & 3) << 4)) - 32) * x[xi + l];
            s2 += (((hi & 0xF) | (((h >> 2) & 3) << 4)) - 32) * x[xi + l + 32];
            s3 += (((lo >> 4) | (((h >> 4) & 3) << 4)) - 32) * x[xi + l + 64];
            s4 += (((hi >> 4) | (((h >> 6) & 3) << 4)) - 32) * x[xi + l + 96];
          }
          sumb += w.get(sc + half) * s1 + w.get(sc + half + 2) * s2
              + w.get(sc + half + 4) * s3 + w.get(sc + half + 6) * s4;
        }
        xi += 128;
        ql += 64;
        qh += 32;
        sc += 8;
      }
      sum += d * sumb;
    }
    return sum;
  }

  /**
   * Quantizes {@code n} floats (a multiple of 256) into super-blocks at byte {@code offset} of
   * {@code dst}. Each sub-block of 16 gets the scale {@code max|x| / 31}, stored as an 8-bit
   * multiple of the super-block's d rounded up, and each weight takes the nearest level in
   * -31..31 (the format's -32 is left unused, so no value is clipped). Simpler than llama.cpp's
   * search for the best scales, so not byte-identical to its files; a weight is off by at most
   * half a step of its sub-block.
   */
  public static void quantizeRow(float[] src, int srcOffset, ByteBuffer dst, int offset, int n) {
    int nb = n / BLOCK_SIZE;
    float[] scale = new float[16];
    int[] sc = new int[16];
    for (int i = 0; i < nb; i++) {
      int xb = srcOffset + i * BLOCK_SIZE;
      float maxScale = 0f;
      for (int j = 0; j < 16; j++) {
        float amax = 0f;
        for (int l = 0; l < 16; l++) {
          amax = Math.max(amax, Math.abs(src[xb + 16 * j + l]));
        }
        scale[j] = amax / 31;
        maxScale = Math.max(maxScale, scale[j]);
      }
      short d16 = Q4_K.superScale(maxScale / 127);
      float d = F16.toFloat(d16);
      int b = offset + i * TYPE_SIZE;
      for (int j = 0; j < 16; j++) {
        sc[j] = d > 0f ? Math.min(127, (int) Math.ceil(scale[j] / d)) : 0;
        dst.put(b + SCALES + j, (byte) sc[j]);
      }
      dst.putShort(b + D, d16);
      for (int h = 0; h < 2; h++) {
        int ql = b + QL + 64 * h;
        int qh = b + QH + 32 * h;
        for (int l = 0; l < 32; l++) {
          int high = 0;
          for (int k = 0; k < 4; k++) {
            int j = 8 * h + 2 * k + l / 16;
            float step = d * sc[j];
            int q = Q4_K.level(src[xb + 128 * h + 32 * k + l] + 31 * step, step, 62) + 1;
            if (k < 2) {
              dst.put(ql + 32 * k + l, (byte) (q & 0xF));
            } else {
              int at = ql + 32 * (k - 2) + l;
              dst.put(at, (byte) (dst.get(at) | (q & 0xF) << 4));
            }
            high |= (q >> 4) << (2 * k);
          }
          dst.put(qh + l, (byte) high);
        }
      }
    }
  }
}

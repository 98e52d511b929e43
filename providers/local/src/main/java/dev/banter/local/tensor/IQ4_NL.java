package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code IQ4_NL}: blocks of 32 weights, each a half-precision scale {@code d} followed by
 * 16 bytes of 4-bit indices into a fixed non-linear table of 16 levels ({@link #VALUES}, ggml's
 * {@code kvalues_iq4nl}). Byte {@code j} holds weight {@code j} in its low nibble and weight
 * {@code j + 16} in its high nibble; a weight is {@code d * VALUES[q]}. 18 bytes per 32 weights.
 * Stateless and thread-safe.
 *
 * <pre>
 * offset 0  : d      (F16)
 * offset 2  : qs[16] (low nibble: weights 0..15, high nibble: weights 16..31)
 * </pre>
 *
 * <pre>{@code
 * IQ4_NL.dequantizeRow(buffer, 0, y, 0, 32);
 * float dot = IQ4_NL.dot(buffer, 0, x, 0, 32);
 * }</pre>
 */
public final class IQ4_NL {
  /** Weights per block ({@code QK4_NL}). */
  public static final int BLOCK_SIZE = 32;
  /** Bytes per block: the scale and 16 bytes of nibbles. */
  public static final int TYPE_SIZE = 2 + BLOCK_SIZE / 2;

  /** The 16 levels a nibble selects ({@code kvalues_iq4nl} in ggml-common.h). */
  static final byte[] VALUES = {
    -127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113
  };

  private IQ4_NL() {}

  /** Expands {@code n} weights (a multiple of 32) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = F16.toFloat(src.getShort(b));
      int y = dstOffset + i * BLOCK_SIZE;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = src.get(b + 2 + j);
        dst[y + j] = d * VALUES[q & 0x0F];
        dst[y + j + BLOCK_SIZE / 2] = d * VALUES[(q >> 4) & 0x0F];
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
      float s = 0f;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = w.get(b + 2 + j);
        s += VALUES[q & 0x0F] * x[xb + j] + VALUES[(q >> 4) & 0x0F] * x[xb + j + BLOCK_SIZE / 2];
      }
      sum += s * F16.toFloat(w.getShort(b));
    }
    return sum;
  }
}

package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * ggml's {@code MXFP4} (OCP microscaling FP4, as in gpt-oss): blocks of 32 weights, each an
 * E8M0 exponent byte {@code e} followed by 16 bytes of E2M1 (4-bit float) codes. Byte {@code j}
 * holds weight {@code j} in its low nibble and weight {@code j + 16} in its high nibble. ggml
 * keeps the E2M1 values doubled, as the integers of {@link #VALUES} ({@code kvalues_mxfp4}), and
 * halves the scale to match: a weight is {@code VALUES[q] * 2^(e - 128)} ({@link #scale}, ggml's
 * {@code GGML_E8M0_TO_FP32_HALF}). 17 bytes per 32 weights. Stateless and thread-safe.
 *
 * <pre>
 * offset 0  : e      (E8M0: a power of two, 2^(e - 127))
 * offset 1  : qs[16] (low nibble: weights 0..15, high nibble: weights 16..31)
 * </pre>
 *
 * <pre>{@code
 * MXFP4.dequantizeRow(buffer, 0, y, 0, 32);
 * float dot = MXFP4.dot(buffer, 0, x, 0, 32);
 * }</pre>
 */
public final class MXFP4 {
  /** Weights per block ({@code QK_MXFP4}). */
  public static final int BLOCK_SIZE = 32;
  /** Bytes per block: the exponent and 16 bytes of nibbles. */
  public static final int TYPE_SIZE = 1 + BLOCK_SIZE / 2;

  /**
   * Twice the E2M1 value of each code ({@code kvalues_mxfp4}): bit 3 is the sign, so codes 0 and
   * 8 are both zero.
   */
  static final byte[] VALUES = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

  private MXFP4() {}

  /**
   * Half the block scale {@code 2^(e - 127)}, i.e. {@code 2^(e - 128)}, as ggml's {@code
   * ggml_e8m0_to_fp32_half}: exact for every byte; {@code e = 0} and {@code 1} give the float
   * subnormals 2^-128 and 2^-127, and {@code e = 255} gives 2^127 (ggml does not treat it as the
   * NaN of the OCP specification).
   */
  static float scale(int e) {
    int x = e & 0xFF;
    return Float.intBitsToFloat(x < 2 ? 0x00200000 << x : (x - 1) << 23);
  }

  /** Expands {@code n} weights (a multiple of 32) at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    int nb = n / BLOCK_SIZE;
    for (int i = 0; i < nb; i++) {
      int b = offset + i * TYPE_SIZE;
      float d = scale(src.get(b));
      int y = dstOffset + i * BLOCK_SIZE;
      for (int j = 0; j < BLOCK_SIZE / 2; j++) {
        int q = src.get(b + 1 + j);
        dst[y + j] = VALUES[q & 0x0F] * d;
        dst[y + j + BLOCK_SIZE / 2] = VALUES[(q >> 4) & 0x0F] * d;
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
        int q = w.get(b + 1 + j);
        s += VALUES[q & 0x0F] * x[xb + j] + VALUES[(q >> 4) & 0x0F] * x[xb + j + BLOCK_SIZE / 2];
      }
      sum += s * scale(w.get(b));
    }
    return sum;
  }
}

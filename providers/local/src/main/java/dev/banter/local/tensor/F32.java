package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * Plain float32 weights, ggml type {@code F32}: 4 bytes per weight, little-endian. Stateless and
 * thread-safe.
 *
 * <pre>{@code
 * float s = F32.dot(buffer, 0, x, 0, x.length);
 * }</pre>
 */
public final class F32 {
  /** Weights per block. */
  public static final int BLOCK_SIZE = 1;
  /** Bytes per block. */
  public static final int TYPE_SIZE = 4;

  private F32() {}

  /** Reads {@code n} floats at byte {@code offset} of {@code src}. */
  public static void dequantizeRow(ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    for (int j = 0; j < n; j++) {
      dst[dstOffset + j] = src.getFloat(offset + 4 * j);
    }
  }

  /** The dot product of {@code n} floats at byte {@code offset} of {@code w} with {@code x}. */
  public static float dot(ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    float sum = 0f;
    for (int j = 0; j < n; j++) {
      sum += w.getFloat(offset + 4 * j) * x[xOffset + j];
    }
    return sum;
  }
}

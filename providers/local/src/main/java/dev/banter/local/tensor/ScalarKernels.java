package dev.banter.local.tensor;

import java.nio.ByteBuffer;

/**
 * The reference kernels: plain Java over the format classes, one dot product per (row, token).
 * They define what every faster kernel must compute and are the Android path. Stateless.
 */
final class ScalarKernels {
  /** Rows whose bytes stay cache-resident while every token of a batch passes over them. */
  static final int MATMUL_ROW_TILE = 16;

  private ScalarKernels() {}

  static float dot(GgmlType type, ByteBuffer w, int offset, float[] x, int xOffset, int n) {
    return switch (type) {
      case F32 -> F32.dot(w, offset, x, xOffset, n);
      case F16 -> F16.dot(w, offset, x, xOffset, n);
      case BF16 -> BF16.dot(w, offset, x, xOffset, n);
      case Q8_0 -> Q8_0.dot(w, offset, x, xOffset, n);
      case Q4_0 -> Q4_0.dot(w, offset, x, xOffset, n);
      case Q4_1 -> Q4_1.dot(w, offset, x, xOffset, n);
      case Q5_0 -> Q5_0.dot(w, offset, x, xOffset, n);
      case Q5_1 -> Q5_1.dot(w, offset, x, xOffset, n);
      case IQ4_NL -> IQ4_NL.dot(w, offset, x, xOffset, n);
      case MXFP4 -> MXFP4.dot(w, offset, x, xOffset, n);
      case Q4_K -> Q4_K.dot(w, offset, x, xOffset, n);
      case Q5_K -> Q5_K.dot(w, offset, x, xOffset, n);
      case Q6_K -> Q6_K.dot(w, offset, x, xOffset, n);
      case Q2_K -> Q2_K.dot(w, offset, x, xOffset, n);
      case Q3_K -> Q3_K.dot(w, offset, x, xOffset, n);
      case IQ4_XS -> IQ4_XS.dot(w, offset, x, xOffset, n);
      default -> throw new IllegalStateException("no kernel for " + type);
    };
  }

  static void dequantizeRow(GgmlType type, ByteBuffer src, int offset, float[] dst, int dstOffset, int n) {
    switch (type) {
      case F32 -> F32.dequantizeRow(src, offset, dst, dstOffset, n);
      case F16 -> F16.dequantizeRow(src, offset, dst, dstOffset, n);
      case BF16 -> BF16.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q8_0 -> Q8_0.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q4_0 -> Q4_0.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q4_1 -> Q4_1.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q5_0 -> Q5_0.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q5_1 -> Q5_1.dequantizeRow(src, offset, dst, dstOffset, n);
      case IQ4_NL -> IQ4_NL.dequantizeRow(src, offset, dst, dstOffset, n);
      case MXFP4 -> MXFP4.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q4_K -> Q4_K.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q5_K -> Q5_K.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q6_K -> Q6_K.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q2_K -> Q2_K.dequantizeRow(src, offset, dst, dstOffset, n);
      case Q3_K -> Q3_K.dequantizeRow(src, offset, dst, dstOffset, n);
      case IQ4_XS -> IQ4_XS.dequantizeRow(src, offset, dst, dstOffset, n);
      default -> throw new IllegalStateException("no kernel for " + type);
    }
  }

  /** {@code out[outOffset + r] = row_r . x} for rows {@code [r0, r1)}. */
  static void matvec(GgmlType type, ByteBuffer w, int rowBytes, int cols,
      float[] x, int xOffset, float[] out, int outOffset, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      out[outOffset + r] = dot(type, w, r * rowBytes, x, xOffset, cols);
    }
  }

  /**
   * {@code out[outOffset + t * rows + r] = row_r . x_t} for tokens {@code t < n} and rows {@code
   * [r0, r1)}. Rows are taken a tile at a time and every token passes over the tile while it is
   * in cache, so each weight is read from memory once per batch. Bit-identical to {@link #matvec}
   * per token.
   */
  static void matmul(GgmlType type, ByteBuffer w, int rowBytes, int cols, int rows,
      float[] x, int xOffset, int n, float[] out, int outOffset, int r0, int r1) {
    for (int tile = r0; tile < r1; tile += MATMUL_ROW_TILE) {
      int end = Math.min(r1, tile + MATMUL_ROW_TILE);
      for (int t = 0; t < n; t++) {
        int xo = xOffset + t * cols;
        int oo = outOffset + t * rows;
        for (int r = tile; r < end; r++) {
          out[oo + r] = dot(type, w, r * rowBytes, x, xo, cols);
        }
      }
    }
  }
}

package dev.banter.local.benchmarks;

import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.Quantizer;
import dev.banter.local.tensor.WeightMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Random weights and activations for the benchmarks, quantized with the formats' own code. */
final class Weights {
  private Weights() {}

  /** {@code rows × cols} gaussian weights (std 0.02) of {@code type} in a direct buffer. */
  static ByteBuffer quantized(GgmlType type, int rows, int cols, long seed) {
    int rowBytes = (int) type.byteSize(cols);
    ByteBuffer b = ByteBuffer.allocateDirect(rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    Random rnd = new Random(seed);
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) rnd.nextGaussian() * 0.02f;
      }
      Quantizer.quantizeRow(type, row, 0, b, r * rowBytes, cols);
    }
    return b;
  }

  static WeightMatrix matrix(GgmlType type, int rows, int cols, long seed) {
    return WeightMatrix.of("bench", type, rows, cols, quantized(type, rows, cols, seed));
  }

  static float[] activations(int n, long seed) {
    Random rnd = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }
}

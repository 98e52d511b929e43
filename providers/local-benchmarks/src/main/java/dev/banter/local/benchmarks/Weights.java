package dev.banter.local.benchmarks;

import dev.banter.local.tensor.BF16;
import dev.banter.local.tensor.F16;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.Q4_0;
import dev.banter.local.tensor.Q4_K;
import dev.banter.local.tensor.Q6_K;
import dev.banter.local.tensor.Q8_0;
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
      quantizeRow(type, row, b, r * rowBytes, cols);
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

  static void quantizeRow(GgmlType type, float[] row, ByteBuffer dst, int offset, int cols) {
    switch (type) {
      case F16:
        F16.quantizeRow(row, 0, dst, offset, cols);
        break;
      case BF16:
        BF16.quantizeRow(row, 0, dst, offset, cols);
        break;
      case Q8_0:
        Q8_0.quantizeRow(row, 0, dst, offset, cols);
        break;
      case Q4_0:
        Q4_0.quantizeRow(row, 0, dst, offset, cols);
        break;
      case Q4_K:
        Q4_K.quantizeRow(row, 0, dst, offset, cols);
        break;
      case Q6_K:
        Q6_K.quantizeRow(row, 0, dst, offset, cols);
        break;
      default:
        throw new IllegalArgumentException("no quantizer for " + type);
    }
  }
}

package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.Q4_0;
import dev.banter.local.tensor.Q8_0;
import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One token's products, chunked and claimed by threads, against whole-matrix products on one thread. */
class TokenProductsTest {
  private static WeightMatrix random(String name, GgmlType type, int rows, int cols, Random rnd) {
    int rowBytes = (int) type.byteSize(cols);
    ByteBuffer data = ByteBuffer.allocate(rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < cols; i++) {
        row[i] = (float) rnd.nextGaussian();
      }
      if (type == GgmlType.Q8_0) {
        Q8_0.quantizeRow(row, 0, data, r * rowBytes, cols);
      } else {
        Q4_0.quantizeRow(row, 0, data, r * rowBytes, cols);
      }
    }
    return WeightMatrix.of(name, type, rows, cols, data);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 3})
  void chunked_products_equal_whole_matrix_products_bit_for_bit_whatever_the_threads(int threads) {
    Random rnd = new Random(7);
    int cols = 256;
    WeightMatrix a = random("a", GgmlType.Q8_0, 203, cols, rnd);
    WeightMatrix b = random("b", GgmlType.Q4_0, 64, cols, rnd);
    WeightMatrix c = random("c", GgmlType.Q8_0, 37, cols, rnd);
    float[] x = new float[cols + 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    float[] wantA = new float[a.rows()];
    float[] wantB = new float[b.rows()];
    float[] wantC = new float[c.rows()];
    a.matvec(x, wantA);
    b.matvec(x, wantB);
    c.matvec(x, wantC);
    float[] wantShifted = new float[a.rows()];
    a.matvecRows(x, 5, wantShifted, 0, 0, a.rows());

    TokenProducts products = new TokenProducts(1);
    float[] gotA = new float[a.rows()];
    float[] gotB = new float[b.rows()];
    float[] gotC = new float[c.rows()];
    float[] gotShifted = new float[a.rows()];
    try (RowPool pool = new RowPool(threads)) {
      for (int round = 0; round < 3; round++) {
        products.run(pool, x, a, gotA, b, gotB, c, gotC);
        assertArrayEquals(wantA, gotA, "a, round " + round);
        assertArrayEquals(wantB, gotB, "b, round " + round);
        assertArrayEquals(wantC, gotC, "c, round " + round);
        products.run(pool, x, c, gotC, a, gotA);
        assertArrayEquals(wantA, gotA, "a of two");
        assertArrayEquals(wantC, gotC, "c of two");
        products.run(pool, x, 5, a, gotShifted);
        assertArrayEquals(wantShifted, gotShifted, "a at an input offset");
      }
    }
  }
}

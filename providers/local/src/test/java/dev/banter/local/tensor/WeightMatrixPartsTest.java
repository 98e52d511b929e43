package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ModelLoadException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A matrix held in several buffers (how tensors above 2 GiB are read) computes exactly what the
 * same rows in one buffer compute: products, batched products over every row range, and row
 * expansion, whichever part a row falls in.
 */
class WeightMatrixPartsTest {
  private static final RowPool POOL = new RowPool(3);

  @AfterAll
  static void close() {
    POOL.close();
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  void parts_compute_what_one_buffer_computes(GgmlType type) {
    Random rnd = new Random(type.ordinal());
    int rows = 23;
    int cols = 512;
    ByteBuffer whole = TestData.randomRows(type, rows, cols, rnd);
    int rowBytes = (int) type.byteSize(cols);
    int partRows = 5;
    ByteBuffer[] parts = new ByteBuffer[(rows + partRows - 1) / partRows];
    for (int p = 0; p < parts.length; p++) {
      int n = Math.min(partRows, rows - p * partRows);
      ByteBuffer part = TestData.le(n * rowBytes);
      ByteBuffer src = whole.duplicate();
      ((Buffer) src).position(p * partRows * rowBytes);
      ((Buffer) src).limit((p * partRows + n) * rowBytes);
      part.put(src);
      ((Buffer) part).flip();
      parts[p] = part;
    }
    WeightMatrix one = WeightMatrix.of("w", type, rows, cols, whole);
    WeightMatrix split = WeightMatrix.ofParts("w", type, rows, cols, partRows, parts);
    assertEquals(1, one.partCount());
    assertEquals(5, split.partCount());

    float[] x = TestData.gaussian(4 * cols, rnd);
    float[] a = new float[rows];
    float[] b = new float[rows];
    one.matvec(x, a);
    split.matvec(x, b, POOL);
    assertClose(a, b, "matvec");

    float[] am = new float[4 * rows];
    float[] bm = new float[4 * rows];
    one.matmul(x, 4, am);
    split.matmul(x, 4, bm, POOL);
    assertClose(am, bm, "matmul");

    for (int[] range : new int[][] {{0, 5}, {3, 12}, {4, 5}, {5, 6}, {19, 23}, {0, 23}}) {
      float[] ar = new float[rows];
      float[] br = new float[rows];
      one.matvecRows(x, cols, ar, 0, range[0], range[1]);
      split.matvecRows(x, cols, br, 0, range[0], range[1]);
      assertClose(ar, br, "rows " + range[0] + ".." + range[1]);
    }

    float[] ra = new float[cols];
    float[] rb = new float[cols];
    for (int r : new int[] {0, 4, 5, 9, 10, 22}) {
      one.dequantizeRow(r, ra, 0);
      split.dequantizeRow(r, rb, 0);
      assertArrayEquals(ra, rb, "row " + r);
    }
  }

  /**
   * Equal up to float summation order: the decode kernels take rows four at a time, so where a
   * part boundary (or a thread's share of rows) cuts a group of four the sums run in another order.
   */
  private static void assertClose(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      float tol = 1e-5f * Math.max(1f, Math.abs(expected[i]));
      assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32"})
  void parts_that_do_not_hold_the_rows_are_refused(GgmlType type) {
    ByteBuffer p = TestData.le(4 * 64 * 4);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> WeightMatrix.ofParts("big", type, 9, 64, 4, p, p));
    assertTrue(e.getMessage().contains("2 parts of 4 rows do not hold 9 rows"), e.getMessage());
    assertThrows(ModelLoadException.class, () -> WeightMatrix.ofParts("big", type, 4, 64, 4, p, p));
  }
}

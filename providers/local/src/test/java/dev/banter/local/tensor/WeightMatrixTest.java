package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WeightMatrixTest {
  private static final RowPool POOL2 = new RowPool(2);
  private static final RowPool POOL3 = new RowPool(3);

  @AfterAll
  static void close() {
    POOL2.close();
    POOL3.close();
  }

  @Test
  void truncated_data_fails_naming_tensor_type_and_shape() {
    ByteBuffer b = ByteBuffer.allocate(34 * 4 - 1);
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> WeightMatrix.of("blk.0.attn_q.weight", GgmlType.Q8_0, 2, 64, b));
    assertTrue(e.getMessage().contains("blk.0.attn_q.weight"), e.getMessage());
    assertTrue(e.getMessage().contains("Q8_0"), e.getMessage());
    assertTrue(e.getMessage().contains("2 rows × 64 cols"), e.getMessage());
    assertTrue(e.getMessage().contains("needs 136 bytes"), e.getMessage());
  }

  @Test
  void row_length_must_be_whole_blocks() {
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> WeightMatrix.of("w", GgmlType.Q4_K, 1, 300, ByteBuffer.allocate(4096)));
    assertTrue(e.getMessage().contains("not a whole number of Q4_K blocks of 256"), e.getMessage());
  }

  @Test
  void unsupported_type_is_refused_with_the_supported_list() {
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> WeightMatrix.of("w", GgmlType.IQ2_XXS, 1, 256, ByteBuffer.allocate(4096)));
    assertTrue(e.getMessage().contains("IQ2_XXS"), e.getMessage());
    assertTrue(e.getMessage().contains("F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, BF16, MXFP4"), e.getMessage());
  }

  @Test
  void non_positive_dimensions_are_refused() {
    assertThrows(ModelLoadException.class, () -> WeightMatrix.of("w", GgmlType.F32, 0, 4, ByteBuffer.allocate(16)));
    assertThrows(ModelLoadException.class, () -> WeightMatrix.of("w", GgmlType.F32, 4, -1, ByteBuffer.allocate(16)));
  }

  @Test
  void data_is_read_little_endian_from_the_buffer_position_whatever_its_order() {
    ByteBuffer b = ByteBuffer.allocate(4 + 8).order(ByteOrder.BIG_ENDIAN);
    b.position(4);
    b.duplicate().order(ByteOrder.LITTLE_ENDIAN).putFloat(4, 2f).putFloat(8, -3f);
    WeightMatrix m = WeightMatrix.of("w", GgmlType.F32, 1, 2, b);
    float[] out = new float[1];
    m.matvec(new float[] {1f, 1f}, out);
    assertEquals(-1f, out[0]);
    assertEquals(4, b.position());
    assertEquals(ByteOrder.BIG_ENDIAN, b.order());
  }

  @Test
  void short_arrays_are_refused_before_any_work() {
    WeightMatrix m = WeightMatrix.of("w", GgmlType.F32, 3, 4, ByteBuffer.allocate(48));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.matvec(new float[3], new float[3]));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.matvec(new float[4], new float[2]));
    assertThrows(IllegalArgumentException.class, () -> m.matmul(new float[8], 3, new float[9]));
    assertThrows(IllegalArgumentException.class, () -> m.matvecRows(new float[4], 0, new float[3], 0, 2, 4));
    assertThrows(IllegalArgumentException.class, () -> m.dequantizeRow(3, new float[4], 0));
    assertThrows(IllegalArgumentException.class, () -> m.dequantizeRow(0, new float[4], 1));
  }

  @Test
  void pooled_matvec_equals_single_threaded_matvec_for_every_type() {
    Random rnd = new Random(1);
    for (GgmlType type : TestData.TYPES) {
      int cols = type.blockSize() == 256 ? 512 : 96;
      for (int rows : new int[] {1, 2, 5, 31}) {
        WeightMatrix m = WeightMatrix.of("w", type, rows, cols, TestData.randomRows(type, rows, cols, rnd));
        float[] x = TestData.gaussian(cols + 1, rnd);
        float[] one = new float[rows + 1];
        float[] two = new float[rows + 1];
        float[] three = new float[rows + 1];
        float[] ranged = new float[rows + 1];
        m.matvec(x, 1, one, 1, new RowPool(1));
        m.matvec(x, 1, two, 1, POOL2);
        m.matvec(x, 1, three, 1, POOL3);
        m.matvecRows(x, 1, ranged, 1, 0, rows / 2);
        m.matvecRows(x, 1, ranged, 1, rows / 2, rows);
        assertArrayEquals(one, two, type + " " + rows);
        assertArrayEquals(one, three, type + " " + rows);
        assertArrayEquals(one, ranged, type + " " + rows);
      }
    }
  }

  @Test
  void dequantize_row_is_the_row_the_product_uses() {
    Random rnd = new Random(2);
    for (GgmlType type : TestData.TYPES) {
      int cols = type.blockSize() == 256 ? 256 : 64;
      WeightMatrix m = WeightMatrix.of("w", type, 4, cols, TestData.randomRows(type, 4, cols, rnd));
      float[] row = new float[cols + 2];
      m.dequantizeRow(2, row, 2);
      float[] unit = new float[cols];
      float[] out = new float[4];
      for (int j = 0; j < cols; j += 37) {
        unit[j] = 1f;
        m.matvec(unit, out);
        assertEquals(row[2 + j], out[2], Math.abs(row[2 + j]) * 1e-6, type + " column " + j);
        unit[j] = 0f;
      }
    }
  }

  /** A batch gives, per token, the same numbers as a product with that token alone. */
  @Property(tries = 40)
  void matmul_of_a_batch_equals_matvec_per_token(
      @ForAll @IntRange(min = 0, max = 15) int typeIndex,
      @ForAll @IntRange(min = 1, max = 40) int rows,
      @ForAll @IntRange(min = 1, max = 9) int n,
      @ForAll @IntRange(min = 1, max = 3) int threads,
      @ForAll long seed) {
    GgmlType type = TestData.TYPES[typeIndex];
    Random rnd = new Random(seed);
    int cols = colsOf(type);
    WeightMatrix m = randomMatrix(type, rows, rnd);
    float[] x = TestData.gaussian(n * cols, rnd);
    float[] batch = new float[n * rows];
    try (RowPool pool = new RowPool(threads)) {
      m.matmul(x, n, batch, pool);
    }
    float[] row = new float[cols];
    for (int t = 0; t < n; t++) {
      float[] single = new float[rows];
      m.matvecRows(x, t * cols, single, 0, 0, rows);
      for (int r = 0; r < rows; r++) {
        m.dequantizeRow(r, row, 0);
        double scale = TestData.referenceDot(row, 0, x, t * cols, cols)[1];
        assertEquals(single[r], batch[t * rows + r], 1e-5 * scale + 1e-30,
            type + " token " + t + " row " + r);
      }
    }
  }

  /**
   * A token's batched result is bit for bit the same whichever batch of two or more it is in and
   * however many threads share the rows: what lets a reused prompt prefix, evaluated in other
   * passes, give the same answer as a fresh one. Batches up to 50 tokens and 1 to 45 rows take
   * every tile of the batched kernels and the tokens and rows their tiles leave over.
   */
  @Property(tries = 30)
  void a_tokens_batched_result_does_not_depend_on_its_batch_or_the_threads(
      @ForAll @IntRange(min = 0, max = 15) int typeIndex,
      @ForAll @IntRange(min = 1, max = 45) int rows,
      @ForAll @IntRange(min = 2, max = 50) int n,
      @ForAll @IntRange(min = 0, max = 48) int start,
      @ForAll @IntRange(min = 2, max = 3) int threads,
      @ForAll long seed) {
    GgmlType type = TestData.TYPES[typeIndex];
    Random rnd = new Random(seed);
    int cols = colsOf(type);
    WeightMatrix m = randomMatrix(type, rows, rnd);
    float[] x = TestData.gaussian(n * cols, rnd);
    float[] whole = new float[n * rows];
    m.matmul(x, n, whole);
    int from = Math.min(start, n - 2);
    int count = n - from;
    float[] part = new float[count * rows];
    try (RowPool pool = new RowPool(threads)) {
      m.matmul(Arrays.copyOfRange(x, from * cols, n * cols), count, part, pool);
    }
    assertArrayEquals(Arrays.copyOfRange(whole, from * rows, n * rows), part,
        type + ": tokens " + from + ".." + n + " of " + n + " on " + threads + " threads");
  }

  /** Columns of the properties' matrices: one super-block for the K-quants, two blocks otherwise. */
  private static int colsOf(GgmlType type) {
    return type.blockSize() == 256 ? 256 : 64;
  }

  private static WeightMatrix randomMatrix(GgmlType type, int rows, Random rnd) {
    int cols = colsOf(type);
    return WeightMatrix.of("w", type, rows, cols, TestData.randomRows(type, rows, cols, rnd));
  }
}

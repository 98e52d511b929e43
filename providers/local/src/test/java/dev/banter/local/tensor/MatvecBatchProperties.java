package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link WeightMatrix#matvecBatch} gives every token bit for bit what {@link WeightMatrix#matvec}
 * gives its vector alone, for every type, shape, token count and thread count, on whichever
 * kernels this JVM runs (the surefire executions cover scalar, 256-bit, 512-bit and direct loads).
 */
class MatvecBatchProperties {
  private static final RowPool[] POOLS = {new RowPool(1), new RowPool(2), new RowPool(3)};

  private static int colsFor(GgmlType type, int blocks) {
    return type.blockSize() * blocks;
  }

  /** The formats decode spends its time in, some with kernels of their own for several tokens. */
  private static final GgmlType[] HOT = {GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K};

  @Property(tries = 80)
  void each_token_of_a_batch_gets_exactly_its_single_product(
      @ForAll @IntRange(min = 0, max = 15) int typeIndex,
      @ForAll @IntRange(min = 1, max = 400) int rows,
      @ForAll @IntRange(min = 1, max = 6) int blocks,
      @ForAll @IntRange(min = 1, max = 6) int tokens,
      @ForAll @IntRange(min = 0, max = 2) int poolIndex,
      @ForAll long seed) {
    check(TestData.TYPES[typeIndex], rows, blocks, tokens, poolIndex, seed);
  }

  @Property(tries = 80)
  void each_token_of_a_batch_of_a_decode_format_gets_exactly_its_single_product(
      @ForAll @IntRange(min = 0, max = 3) int typeIndex,
      @ForAll @IntRange(min = 1, max = 300) int rows,
      @ForAll @IntRange(min = 1, max = 6) int blocks,
      @ForAll @IntRange(min = 2, max = 5) int tokens,
      @ForAll @IntRange(min = 0, max = 2) int poolIndex,
      @ForAll long seed) {
    check(HOT[typeIndex], rows, blocks, tokens, poolIndex, seed);
  }

  private static void check(GgmlType type, int rows, int blocks, int tokens, int poolIndex, long seed) {
    Random rnd = new Random(seed);
    int cols = colsFor(type, type.blockSize() < 64 ? blocks * 4 : blocks);
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    WeightMatrix m = WeightMatrix.of("w", type, rows, cols, w);
    float[] xs = TestData.gaussian(tokens * cols, rnd);
    RowPool pool = POOLS[poolIndex];
    float[] batched = new float[tokens * rows];
    m.matvecBatch(xs, tokens, batched, pool);
    float[] onThread = new float[tokens * rows + 5];
    m.matvecBatchRows(xs, 0, tokens, onThread, 5, 0, rows);
    for (int t = 0; t < tokens; t++) {
      float[] x = new float[cols];
      System.arraycopy(xs, t * cols, x, 0, cols);
      float[] single = new float[rows];
      m.matvec(x, single, pool);
      float[] got = new float[rows];
      System.arraycopy(batched, t * rows, got, 0, rows);
      assertArrayEquals(single, got, type + " token " + t + " of " + tokens + ", " + rows + " rows");
      System.arraycopy(onThread, 5 + t * rows, got, 0, rows);
      assertArrayEquals(single, got, type + " token " + t + " on the calling thread");
    }
  }

  @Test
  void a_row_range_computes_those_rows_only() {
    GgmlType type = GgmlType.Q4_K;
    Random rnd = new Random(3);
    int rows = 300;
    int cols = 512;
    WeightMatrix m = WeightMatrix.of("w", type, rows, cols, TestData.randomRows(type, rows, cols, rnd));
    float[] xs = TestData.gaussian(3 * cols, rnd);
    float[] all = new float[3 * rows];
    m.matvecBatch(xs, 3, all, POOLS[0]);
    float[] part = new float[3 * rows];
    m.matvecBatchRows(xs, 0, 3, part, 0, 37, 211);
    for (int t = 0; t < 3; t++) {
      for (int r = 0; r < rows; r++) {
        float want = r >= 37 && r < 211 ? all[t * rows + r] : 0f;
        assertArrayEquals(new float[] {want}, new float[] {part[t * rows + r]}, "token " + t + " row " + r);
      }
    }
  }

  @Test
  void short_arrays_and_empty_batches_are_refused() {
    Random rnd = new Random(1);
    WeightMatrix m = WeightMatrix.of("w", GgmlType.Q8_0, 8, 64, TestData.randomRows(GgmlType.Q8_0, 8, 64, rnd));
    assertThrows(IllegalArgumentException.class, () -> m.matvecBatch(new float[64], 0, new float[8], POOLS[0]));
    assertThrows(IllegalArgumentException.class, () -> m.matvecBatch(new float[64], 2, new float[16], POOLS[0]));
    assertThrows(IllegalArgumentException.class, () -> m.matvecBatch(new float[128], 2, new float[15], POOLS[0]));
    assertThrows(IllegalArgumentException.class,
        () -> m.matvecBatchRows(new float[128], 0, 2, new float[16], 0, 4, 9));
  }
}

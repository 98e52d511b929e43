package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels that load straight from the mapping, against the scalar ones, on weights in a real
 * mapped file. They exist on JDK 22 and later only; the build runs this class on JDK 25 when it is
 * installed (see the pom), and skips it on older JVMs.
 */
class DirectKernelsTest {
  private static final double TOLERANCE = 1e-5;

  @TempDir
  Path dir;

  private static void assumeDirect() {
    Assumptions.assumeTrue(WeightMatrix.vectorized() && DirectKernels.available(),
        "direct loads need JDK 22+ with the Vector API");
  }

  /** {@code rows × cols} random weights written to a file and mapped back, a few bytes in. */
  private ByteBuffer mapped(GgmlType type, int rows, int cols, Random rnd) throws Exception {
    ByteBuffer w = TestData.randomRows(type, rows, cols, rnd);
    byte[] bytes = new byte[7 + w.remaining()];
    w.get(bytes, 7, w.remaining());
    Path file = Files.write(dir.resolve(type + ".bin"), bytes);
    try (FileChannel ch = FileChannel.open(file)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, 7, bytes.length - 7L).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  static Stream<Arguments> typesAndWidths() {
    return Stream.of(GgmlType.Q4_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K).flatMap(t -> IntStream.of(2048,
        5632, t.blockSize() == 256 ? 256 : 64, t.blockSize() == 256 ? 768 : 96).mapToObj(c -> Arguments.of(t, c)));
  }

  @ParameterizedTest
  @MethodSource("typesAndWidths")
  void rows_from_the_mapping_equal_the_scalar_kernel(GgmlType type, int cols) throws Exception {
    assumeDirect();
    Assumptions.assumeTrue(DirectKernels.supports(type), "no direct kernel for " + type + " here");
    Random rnd = new Random(cols * 31L + type.ordinal());
    int rows = 37;
    ByteBuffer w = mapped(type, rows, cols, rnd);
    WeightMatrix m = WeightMatrix.of("direct", type, rows, cols, w);
    float[] x = TestData.gaussian(cols + 5, rnd);
    float[] got = new float[rows + 2];
    m.matvec(x, 5, got, 2, new RowPool(1));
    int rowBytes = m.rowBytes();
    for (int r = 0; r < rows; r++) {
      float want = ScalarKernels.dot(type, w, r * rowBytes, x, 5, cols);
      double scale = 0;
      float[] row = new float[cols];
      ScalarKernels.dequantizeRow(type, w, r * rowBytes, row, 0, cols);
      for (int j = 0; j < cols; j++) {
        scale += Math.abs(row[j] * x[5 + j]);
      }
      assertTrue(Math.abs(want - got[2 + r]) <= TOLERANCE * scale + 1e-30,
          "row " + r + ": want " + want + ", got " + got[2 + r]);
    }
  }

  @ParameterizedTest
  @MethodSource("typesAndWidths")
  void several_tokens_at_once_give_each_what_it_gets_alone(GgmlType type, int cols) throws Exception {
    assumeDirect();
    Assumptions.assumeTrue(DirectKernels.supports(type), "no direct kernel for " + type + " here");
    Random rnd = new Random(cols * 17L + type.ordinal());
    int rows = 37;
    WeightMatrix m = WeightMatrix.of("tokens", type, rows, cols, mapped(type, rows, cols, rnd));
    RowPool pool = new RowPool(2);
    for (int tokens = 2; tokens <= 6; tokens++) {
      float[] xs = TestData.gaussian(tokens * cols, rnd);
      float[] together = new float[tokens * rows];
      m.matvecBatch(xs, tokens, together, pool);
      for (int t = 0; t < tokens; t++) {
        float[] alone = new float[rows];
        m.matvec(java.util.Arrays.copyOfRange(xs, t * cols, (t + 1) * cols), 0, alone, 0, pool);
        for (int r = 0; r < rows; r++) {
          // The same operations in the same order; only the JIT's and the interpreter's lane sums
          // may order a reduction differently.
          assertEquals(alone[r], together[t * rows + r], 2e-5 * (1 + Math.abs(alone[r])),
              type + " token " + t + " of " + tokens + ", row " + r);
        }
      }
    }
    pool.close();
  }

  @Test
  void a_row_range_writes_only_those_rows() throws Exception {
    assumeDirect();
    Random rnd = new Random(3);
    int cols = 256;
    int rows = 20;
    ByteBuffer w = mapped(GgmlType.Q4_0, rows, cols, rnd);
    WeightMatrix m = WeightMatrix.of("direct", GgmlType.Q4_0, rows, cols, w);
    float[] x = TestData.gaussian(cols, rnd);
    float[] all = new float[rows];
    m.matvec(x, all);
    float[] some = new float[rows];
    java.util.Arrays.fill(some, Float.NaN);
    m.matvecRows(x, 0, some, 0, 5, 13);
    for (int r = 0; r < rows; r++) {
      if (r >= 5 && r < 13) {
        assertEquals(all[r], some[r], 0f, "row " + r);
      } else {
        assertTrue(Float.isNaN(some[r]), "row " + r + " was written");
      }
    }
  }

  @Test
  void the_build_runs_the_lane_count_it_asks_for() {
    String lanes = System.getProperty("banter.test.lanes");
    Assumptions.assumeTrue(lanes != null, "no lane count asked for");
    assertTrue(WeightMatrix.vectorized(), "the Vector API kernels must run");
    assertEquals(Integer.parseInt(lanes), VectorKernels.L, "float lanes");
  }

  @Test
  void a_segment_is_made_for_direct_buffers_and_heap_buffers_are_copied() throws Exception {
    assumeDirect();
    assertNull(DirectKernels.segmentOf(ByteBuffer.allocate(64)));
    assertNotNull(DirectKernels.segmentOf(ByteBuffer.allocateDirect(64)));
    assertNotNull(DirectKernels.segmentOf(mapped(GgmlType.Q4_0, 1, 32, new Random(1))));
  }
}

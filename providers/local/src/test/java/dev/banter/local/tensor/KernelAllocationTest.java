package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proof that no Vector API operation of a compiled kernel falls back to the API's Java
 * implementation: such a fallback builds its result as a Java object (a vector box and its lane
 * array), so a kernel that C2 compiled without one allocates nothing per product. Each kernel runs
 * until it is compiled (allocation per product stops falling, or a time limit), and then must
 * allocate no byte per product: decode (one token, from a heap buffer and from a mapped file, so
 * both the copying and the direct kernels are held to it), a shared decode step of four tokens,
 * and a prefill batch. The build runs this class on JDK 25 at 4 lanes and at the machine's own
 * width (8 lanes with AVX2, 16 with AVX-512); a width wider than the machine's is the API's Java
 * implementation by design and is skipped. Not on JDK 17, whose C2 now and then leaves one
 * conversion of a four-row kernel to the Java code (docs/design-decisions.md).
 *
 * <p>To see which operation fell back when this fails, run the product under {@code
 * -XX:+UnlockDiagnosticVMOptions -XX:+PrintIntrinsics} and look for "failed to inline (intrinsic)".
 */
class KernelAllocationTest {
  private static final int ROWS = 64;
  private static final int COLS = 512;
  private static final long WARM_UP_NANOS = 20_000_000_000L;

  @TempDir
  Path dir;

  static Stream<GgmlType> types() {
    return Stream.of(TestData.TYPES);
  }

  private static void assumeNativeWidth() {
    assumeTrue(WeightMatrix.vectorized(), "the vector kernels are off in this run");
    assumeTrue(VectorKernels.F.vectorBitSize() <= VectorShape.preferredShape().vectorBitSize(),
        "a width beyond the machine's runs in Java by design");
  }

  @ParameterizedTest
  @MethodSource("types")
  void decode_from_the_heap_and_from_a_mapping_allocates_nothing_once_compiled(GgmlType type) throws Exception {
    assumeNativeWidth();
    float[] x = TestData.gaussian(COLS, new Random(2));
    float[] out = new float[ROWS];
    WeightMatrix heap = WeightMatrix.of("heap", type, ROWS, COLS,
        TestData.randomRows(type, ROWS, COLS, new Random(type.ordinal())));
    assertAllocatesNothing(type + " decode (heap)", i -> heap.matvec(x, out));
    WeightMatrix mapped = WeightMatrix.of("mapped", type, ROWS, COLS, mapped(type));
    assertAllocatesNothing(type + " decode (mapped)", i -> mapped.matvec(x, out));
  }

  @ParameterizedTest
  @MethodSource("types")
  void a_shared_decode_step_and_a_prefill_batch_allocate_nothing_once_compiled(GgmlType type) throws Exception {
    assumeNativeWidth();
    WeightMatrix m = WeightMatrix.of("mapped", type, ROWS, COLS, mapped(type));
    float[] xs = TestData.gaussian(16 * COLS, new Random(4));
    float[] outs = new float[16 * ROWS];
    assertAllocatesNothing(type + " four-token decode", i -> m.matvecBatchRows(xs, 0, 4, outs, 0, 0, ROWS));
    assertAllocatesNothing(type + " prefill of 16", i -> m.matmul(xs, 16, outs));
  }

  private ByteBuffer mapped(GgmlType type) throws Exception {
    ByteBuffer rows = TestData.randomRows(type, ROWS, COLS, new Random(type.ordinal() + 100));
    byte[] bytes = new byte[rows.capacity()];
    rows.get(0, bytes);
    Path file = Files.write(dir.resolve(type + ".bin"), bytes);
    try (FileChannel ch = FileChannel.open(file)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  /**
   * Runs {@code product} in rounds until a round allocates nothing or the warm-up time is up, then
   * asserts the last round's allocation per call is zero.
   */
  private static void assertAllocatesNothing(String what, IntConsumer product) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long start = System.nanoTime();
    long perCall;
    do {
      for (int i = 0; i < 500; i++) {
        product.accept(i);
      }
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < 200; i++) {
        product.accept(i);
      }
      perCall = (threads.getThreadAllocatedBytes(id) - before) / 200;
    } while (perCall > 0 && System.nanoTime() - start < WARM_UP_NANOS);
    assertEquals(0, perCall, what + " still allocates " + perCall + " bytes per product after its warm-up: some "
        + "vector operation ran in the Vector API's Java implementation, or a kernel allocates an array per call");
  }
}

package dev.banter.local.benchmarks;

import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode's product: one 5632 × 2048 matrix (TinyLlama's FFN) times one vector, rows split over
 * {@code threads} threads. The call cycles through enough copies of the matrix (about 300 MB)
 * that every product streams its weights from memory, as in a real model; divide the matrix's
 * bytes (printed by {@link #bytes}) by the time for GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatvecBenchmark {
  static final int ROWS = 5632;
  static final int COLS = 2048;
  static final long STREAM_BYTES = 300L << 20;

  @Param({"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  public String type;

  @Param({"1", "2"})
  public int threads;

  WeightMatrix[] copies;
  RowPool pool;
  float[] x;
  float[] out;
  int next;

  @Setup(Level.Trial)
  public void setUp() {
    GgmlType t = GgmlType.valueOf(type);
    WeightMatrix one = Weights.matrix(t, ROWS, COLS, 1);
    int n = (int) Math.max(2, STREAM_BYTES / ((long) one.rowBytes() * ROWS));
    copies = new WeightMatrix[n];
    copies[0] = one;
    for (int i = 1; i < n; i++) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(one.rowBytes() * ROWS);
      java.nio.ByteBuffer src = Weights.quantized(t, 1, COLS, 1);
      // copies differ only in where they live; their values need not
      for (int r = 0; r < ROWS; r++) {
        src.clear();
        b.put(src);
      }
      b.clear();
      copies[i] = WeightMatrix.of("copy" + i, t, ROWS, COLS, b);
    }
    pool = new RowPool(threads);
    x = Weights.activations(COLS, 2);
    out = new float[ROWS];
    System.out.println();
    System.out.println("# " + type + ": " + bytes() + " bytes per matrix, " + n + " copies");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  long bytes() {
    return (long) copies[0].rowBytes() * ROWS;
  }

  @Benchmark
  public float matvec() {
    WeightMatrix m = copies[next];
    next = next + 1 == copies.length ? 0 : next + 1;
    m.matvec(x, out, pool);
    return out[0];
  }
}

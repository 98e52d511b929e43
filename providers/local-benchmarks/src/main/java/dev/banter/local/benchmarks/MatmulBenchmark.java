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
 * Prefill's product: a 5632 × 2048 matrix times {@code tokens} activation vectors at once (each
 * weight read once per batch); GFLOP/s = 2 × 5632 × 2048 × tokens / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBenchmark {
  static final int ROWS = 5632;
  static final int COLS = 2048;

  @Param({"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  public String type;

  @Param({"16", "128"})
  public int tokens;

  @Param({"1", "2"})
  public int threads;

  WeightMatrix matrix;
  RowPool pool;
  float[] x;
  float[] out;

  @Setup(Level.Trial)
  public void setUp() {
    matrix = Weights.matrix(GgmlType.valueOf(type), ROWS, COLS, 1);
    pool = new RowPool(threads);
    x = Weights.activations(tokens * COLS, 2);
    out = new float[tokens * ROWS];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  public float matmul() {
    matrix.matmul(x, tokens, out, pool);
    return out[0];
  }
}

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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One row's dot product with a 2048-float activation vector, per type, from cache-resident
 * weights: the arithmetic alone. {@code scalar} calls the format class's reference kernel;
 * {@code kernel} goes through {@link WeightMatrix#matvecRows} (Vector API kernels when the fork
 * has the incubator module, as it does here; see {@link DotScalarBenchmark} for the plain-Java
 * path of the same call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DotBenchmark {
  static final int COLS = 2048;
  static final int ROWS = 8;

  @Param({"Q8_0", "Q4_0", "Q4_K", "Q6_K", "F16"})
  public String type;

  GgmlType ggml;
  ByteBuffer weights;
  WeightMatrix matrix;
  float[] x;
  float[] out;
  int row;

  @Setup
  public void setUp() {
    ggml = GgmlType.valueOf(type);
    weights = Weights.quantized(ggml, ROWS, COLS, 1);
    matrix = WeightMatrix.of("dot", ggml, ROWS, COLS, weights);
    x = Weights.activations(COLS, 2);
    out = new float[ROWS];
  }

  /** The format class's reference dot product. */
  @Benchmark
  public float scalar() {
    int r = row = (row + 1) & (ROWS - 1);
    int offset = r * matrix.rowBytes();
    return switch (ggml) {
      case Q8_0 -> Q8_0.dot(weights, offset, x, 0, COLS);
      case Q4_0 -> Q4_0.dot(weights, offset, x, 0, COLS);
      case Q4_K -> Q4_K.dot(weights, offset, x, 0, COLS);
      case Q6_K -> Q6_K.dot(weights, offset, x, 0, COLS);
      case F16 -> F16.dot(weights, offset, x, 0, COLS);
      default -> BF16.dot(weights, offset, x, 0, COLS);
    };
  }

  /** The engine's kernel for one row. */
  @Benchmark
  public float kernel() {
    int r = row = (row + 1) & (ROWS - 1);
    matrix.matvecRows(x, 0, out, 0, r, r + 1);
    return out[r];
  }
}

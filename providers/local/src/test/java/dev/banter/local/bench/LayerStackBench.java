package dev.banter.local.bench;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times one decode token's worth of matrix-vector products on a real model file: for every
 * layer q, k, v, output, gate, up and down, then the output matrix, each on its own (mapped)
 * weights, in the order a forward pass runs them. The rest of a forward pass (norms, rope,
 * attention over a short context, the SwiGLU) is small next to these products at 1.1 B
 * parameters, so 1 / (time per token) bounds the decode speed from above. Not a test: run by
 * hand on a file written by {@code banter models make-bench}, e.g.
 *
 * <pre>
 * ./mvnw -q -B -o -pl providers/local test-compile
 * cd providers/local
 * API=~/.m2/repository/dev/banter/banter-api/0.1.0-SNAPSHOT/banter-api-0.1.0-SNAPSHOT.jar
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector \
 *     -cp target/classes:target/test-classes:$API dev.banter.local.bench.LayerStackBench \
 *     /tmp/bench-1b-q4_k_m.gguf 1,2
 * </pre>
 */
public final class LayerStackBench {
  private LayerStackBench() {}

  public static void main(String[] args) {
    String[] threadCounts = (args.length > 1 ? args[1] : "1,2").split(",");
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
    try (GgufFile file = GgufFile.open(Paths.get(args[0]))) {
      int layers = file.metadata().blockCount().getAsInt();
      List<WeightMatrix> order = new ArrayList<>();
      String[] kinds = {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"};
      for (int l = 0; l < layers; l++) {
        for (String k : kinds) {
          order.add(matrix(file, "blk." + l + "." + k + ".weight"));
        }
      }
      order.add(matrix(file, "output.weight"));
      long bytes = 0;
      int widest = 0;
      for (WeightMatrix m : order) {
        bytes += (long) m.rowBytes() * m.rows();
        widest = Math.max(widest, Math.max(m.rows(), m.cols()));
      }
      System.out.printf("%s: %d products per token, %.1f MiB of weights; java %s, vector kernels: %s%n",
          args[0], order.size(), bytes / 1048576.0, System.getProperty("java.version"),
          WeightMatrix.vectorized());
      float[] x = new float[widest];
      Random rnd = new Random(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextGaussian();
      }
      float[] out = new float[widest];
      for (String tc : threadCounts) {
        try (RowPool pool = new RowPool(Integer.parseInt(tc))) {
          run(order, x, out, pool, bytes, seconds);
          if (pool.threads() > 1) {
            System.out.printf("  pool round trip with an empty task: %.2f us per call (x %d calls per token)%n",
                roundTrip(pool), order.size());
          }
        }
      }
    }
  }

  private static WeightMatrix matrix(GgufFile file, String name) {
    GgufTensor t = file.tensor(name);
    return WeightMatrix.of(name, t.type(), (int) t.dim(1), (int) t.dim(0), t.data());
  }

  private static void run(List<WeightMatrix> order, float[] x, float[] out, RowPool pool, long bytes,
      double seconds) {
    WeightMatrix[] ms = order.toArray(new WeightMatrix[0]);
    long warmEnd = System.nanoTime() + 4_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      token(ms, x, out, pool);
    }
    List<Long> times = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      token(ms, x, out, pool);
      times.add(System.nanoTime() - t0);
    }
    long[] t = new long[times.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = times.get(i);
    }
    Arrays.sort(t);
    double median = t[t.length / 2] / 1e6;
    System.out.printf("%d thread(s): %.2f ms per token (min %.2f, max %.2f, %d tokens) = %.1f tokens/s, %.1f GB/s%n",
        pool.threads(), median, t[0] / 1e6, t[t.length - 1] / 1e6, t.length, 1000 / median,
        bytes / median / 1e6);
  }

  /** Median time of {@code forRange} with nothing to do, in microseconds. */
  private static double roundTrip(RowPool pool) {
    long[] sink = new long[pool.threads()];
    RowPool.RangeTask empty = (start, end, worker) -> sink[worker] += end - start;
    double[] rounds = new double[9];
    for (int r = 0; r < rounds.length; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 20_000; i++) {
        pool.forRange(pool.threads(), empty);
      }
      rounds[r] = (System.nanoTime() - t0) / 20_000 / 1e3;
    }
    Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }

  private static void token(WeightMatrix[] ms, float[] x, float[] out, RowPool pool) {
    for (WeightMatrix m : ms) {
      m.matvec(x, 0, out, 0, pool);
    }
  }
}

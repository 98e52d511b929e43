package dev.banter.local.tensor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Measures matrix-vector (decode) and batched (prefill) throughput of {@link WeightMatrix} on the
 * benchmark shape, 2048 × 5632 (TinyLlama's FFN), from a memory-mapped file larger than the
 * caches, cycling through copies of the matrix so every product streams its weights from RAM.
 * Not a test: run by hand, e.g.
 *
 * <pre>
 * ./mvnw -q -B -o -pl providers/local test-compile
 * cd providers/local
 * API=~/.m2/repository/dev/banter/banter-api/0.1.0-SNAPSHOT/banter-api-0.1.0-SNAPSHOT.jar
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector \
 *     -cp target/classes:target/test-classes:$API dev.banter.local.tensor.MatvecBench Q8_0,Q4_0,Q4_K 1,2
 * # the same with a third argument, e.g. 128, measures the batched product for that many tokens
 * # -Dbench.vectors=1,2,4: matvecBatch for that many tokens against as many separate matvecs
 * </pre>
 *
 * GB/s counts the matrix's bytes per product (the bandwidth figure to hold against the
 * machine's memory bandwidth); GFLOP/s counts 2 × rows × cols × tokens.
 */
public final class MatvecBench {
  private static final int COLS = 2048;
  /** {@code -Dbench.resident=true}: a 256-row matrix that stays in L2, to time the arithmetic alone. */
  private static final boolean RESIDENT = Boolean.getBoolean("bench.resident");
  private static final int ROWS = RESIDENT ? 256 : 5632;
  private static final long FILE_BYTES = RESIDENT ? 0 : 384L << 20;

  /** {@code -Dbench.vectors=1,2,4}: time {@link WeightMatrix#matvecBatch} for these token counts. */
  private static final String VECTORS = System.getProperty("bench.vectors");

  private MatvecBench() {}

  /**
   * T tokens' products as one {@code matvecBatch} and as T {@code matvec} calls, alternating in
   * rounds of half a second; per token and row, and as weight bytes per token per second.
   */
  private static void runMatvecBatch(GgmlType type, WeightMatrix[] ms, RowPool pool, int tokens) {
    float[] xs = TestData.gaussian(tokens * COLS, new Random(1));
    float[] outs = new float[tokens * ROWS];
    float[][] x = new float[tokens][];
    float[][] out = new float[tokens][ROWS];
    for (int t = 0; t < tokens; t++) {
      x[t] = Arrays.copyOfRange(xs, t * COLS, (t + 1) * COLS);
    }
    long bytes = (long) ms[0].rowBytes() * ROWS;
    double[] batched = new double[7];
    double[] separate = new double[7];
    for (int rep = -2; rep < batched.length; rep++) {
      long calls = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < 500_000_000L) {
        for (WeightMatrix m : ms) {
          m.matvecBatch(xs, tokens, outs, pool);
          calls++;
        }
      }
      long t1 = System.nanoTime();
      long calls2 = 0;
      while (System.nanoTime() - t1 < 500_000_000L) {
        for (WeightMatrix m : ms) {
          for (int t = 0; t < tokens; t++) {
            m.matvec(x[t], out[t], pool);
          }
          calls2++;
        }
      }
      long t2 = System.nanoTime();
      if (rep >= 0) {
        batched[rep] = (t1 - t0) / (double) (calls * tokens * ROWS);
        separate[rep] = (t2 - t1) / (double) (calls2 * tokens * ROWS);
      }
    }
    Arrays.sort(batched);
    Arrays.sort(separate);
    double b = batched[batched.length / 2];
    double s = separate[separate.length / 2];
    double rowBytes = bytes / (double) ROWS;
    System.out.printf("matvecBatch %-5s %d thread(s) T=%d: %6.2f ns per token-row (%.2f GB/s per token), "
        + "%d separate matvecs %6.2f ns (%.2f GB/s): %.2fx%n", type, pool.threads(), tokens, b, rowBytes / b,
        tokens, s, rowBytes / s, s / b);
  }

  public static void main(String[] args) throws IOException {
    String[] types = (args.length > 0 ? args[0] : "Q8_0,Q4_0,Q4_K").split(",");
    String[] threadCounts = (args.length > 1 ? args[1] : "1,2").split(",");
    int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    System.out.println("java " + System.getProperty("java.version") + ", vector kernels: "
        + WeightMatrix.vectorized() + (WeightMatrix.vectorized() ? " (" + VectorKernels.F + ")" : ""));
    for (String name : types) {
      GgmlType type = GgmlType.valueOf(name);
      WeightMatrix[] ms = mapCopies(type);
      for (String tc : threadCounts) {
        int threads = Integer.parseInt(tc);
        try (RowPool pool = new RowPool(threads)) {
          if (VECTORS != null) {
            for (String t : VECTORS.split(",")) {
              runMatvecBatch(type, ms, pool, Integer.parseInt(t));
            }
          } else if (tokens > 0) {
            runMatmul(type, ms, pool, tokens);
          } else {
            runMatvec(type, ms, pool);
          }
        }
      }
    }
  }

  private static WeightMatrix[] mapCopies(GgmlType type) throws IOException {
    ByteBuffer one = TestData.randomRows(type, ROWS, COLS, new Random(42));
    int bytes = one.capacity();
    int copies = (int) Math.max(RESIDENT ? 1 : 2, FILE_BYTES / bytes);
    Path file = Files.createTempFile("banter-bench-" + type, ".bin");
    file.toFile().deleteOnExit();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
        FileChannel ch = raf.getChannel()) {
      for (int i = 0; i < copies; i++) {
        one.clear();
        while (one.hasRemaining()) {
          ch.write(one);
        }
      }
      WeightMatrix[] ms = new WeightMatrix[copies];
      for (int i = 0; i < copies; i++) {
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, (long) i * bytes, bytes);
        map.load();
        ms[i] = WeightMatrix.of("bench." + i, type, ROWS, COLS, map);
      }
      return ms;
    }
  }

  private static void runMatvec(GgmlType type, WeightMatrix[] ms, RowPool pool) {
    float[] x = TestData.gaussian(COLS, new Random(1));
    float[] out = new float[ROWS];
    long bytes = (long) ms[0].rowBytes() * ROWS;
    for (long end = System.nanoTime() + 3_000_000_000L; System.nanoTime() < end; ) {
      for (WeightMatrix m : ms) {
        m.matvec(x, out, pool);
      }
    }
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] gbs = new double[7];
    double[] cpuGbs = new double[gbs.length];
    for (int rep = 0; rep < gbs.length; rep++) {
      int calls = 0;
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < 500_000_000L) {
        for (WeightMatrix m : ms) {
          m.matvec(x, out, pool);
          calls++;
        }
      }
      long t1 = System.nanoTime();
      gbs[rep] = bytes * (double) calls / (t1 - t0);
      cpuGbs[rep] = bytes * (double) calls / (cpu.getCurrentThreadCpuTime() - c0);
    }
    Arrays.sort(gbs);
    Arrays.sort(cpuGbs);
    // With one thread, bytes per second of the caller's CPU time is the kernels' speed even when
    // other processes share the cores; with more, the workers' time is not counted.
    System.out.printf("matvec %-5s %d thread(s): %6.2f GB/s median (min %.2f, max %.2f), %.3f ms per matrix%s%n",
        type, pool.threads(), gbs[gbs.length / 2], gbs[0], gbs[gbs.length - 1],
        bytes / gbs[gbs.length / 2] / 1e6,
        pool.threads() == 1 ? String.format(", %.2f GB/s per CPU second", cpuGbs[cpuGbs.length / 2]) : "");
  }

  private static void runMatmul(GgmlType type, WeightMatrix[] ms, RowPool pool, int n) {
    float[] x = TestData.gaussian(n * COLS, new Random(1));
    float[] out = new float[n * ROWS];
    long flops = 2L * ROWS * COLS * n;
    for (long end = System.nanoTime() + 4_000_000_000L; System.nanoTime() < end; ) {
      ms[0].matmul(x, n, out, pool);
    }
    double[] gf = new double[5];
    for (int rep = 0; rep < gf.length; rep++) {
      int calls = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < 1_000_000_000L) {
        ms[calls % ms.length].matmul(x, n, out, pool);
        calls++;
      }
      gf[rep] = flops * (double) calls / (System.nanoTime() - t0);
    }
    Arrays.sort(gf);
    System.out.printf("matmul %-5s %d thread(s), %d tokens: %6.1f GFLOP/s median (min %.1f), %.2f ms per matrix%n",
        type, pool.threads(), n, gf[gf.length / 2], gf[0], flops / gf[gf.length / 2] / 1e6);
  }
}

package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The matrix-vector products of a single token (decode), up to three matrices that read the same
 * input in one dispatch of the {@link RowPool} (q, k and v; gate and up), their rows cut into
 * chunks of about {@value #CHUNK_BYTES} bytes of weights. Each thread owns a contiguous run of
 * chunks and takes them front to back, a quarter of what is left at a time, so that it streams
 * its weights from memory in long sweeps with few calls (interleaving 256 KiB chunks between two threads cost a quarter of the decode speed where
 * the kernels load straight from the mapping); a thread done with its own run takes chunks from
 * the back of the others'. One dispatch instead of three saves two waits for the slowest thread
 * per layer, and taking over chunks instead of a fixed split lets a thread that the system slowed
 * down do less while the others do more. Chunks start at multiples of 16 rows, so every row is computed by the same
 * kernel path (rows in groups of four) as in one whole-matrix call: the result does not depend on
 * the number of threads or on which thread took which chunk.
 *
 * <p>One per session, reused for every token: a dispatch allocates nothing. Not thread-safe.
 */
final class TokenProducts implements RowPool.RangeTask {
  static final int CHUNK_BYTES = 1 << 18;
  private static final int ROW_ALIGN = 16;
  /** Longs between two threads' runs in {@link #runs}: each on a cache line of its own. */
  private static final int PAD = 16;

  /** Per thread, at {@code PAD * t + PAD}: the first chunk it has left (high half) and the end (low half). */
  /**
   * Sized up front for a pool as wide as the machine: grown on a new session's first product, it
   * threw away kernels compiled during warm-up (a branch they had never seen).
   */
  private AtomicLongArray runs = new AtomicLongArray(PAD * (Math.max(8, Runtime.getRuntime().availableProcessors()) + 2));
  private int parts;
  private final WeightMatrix[] matrices = new WeightMatrix[3];
  private final float[][] outs = new float[3][];
  private final int[] chunkRows = new int[3];
  /** Chunk numbers where each matrix begins, and the total after the last. */
  private final int[] firstChunk = new int[4];
  private final int chunkBytes;
  private int count;
  private float[] x;
  private int xOffset;
  /** Tokens whose vectors (at a stride of the matrices' columns) share each chunk of weights. */
  private int tokens;

  TokenProducts() {
    this(CHUNK_BYTES);
  }

  /** Chunks of about {@code chunkBytes} (at least 16 rows). */
  TokenProducts(int chunkBytes) {
    this.chunkBytes = chunkBytes;
  }

  /** {@code out = m · x[xOffset ..]}. */
  void run(RowPool pool, float[] x, int xOffset, WeightMatrix m, float[] out) {
    run(pool, x, xOffset, 1, m, out, null, null, null, null);
  }

  /**
   * The products of {@code tokens} vectors at once (a decode step of several sessions, see {@link
   * WeightMatrix#matvecBatch}): {@code out[t · rows ..] = m · x[t · cols ..]}, each token's result
   * bit for bit that of a one-token {@link #run}.
   */
  void runTokens(RowPool pool, float[] x, int tokens, WeightMatrix m, float[] out) {
    run(pool, x, 0, tokens, m, out, null, null, null, null);
  }

  /** {@link #runTokens} for two matrices in one dispatch. */
  void runTokens(RowPool pool, float[] x, int tokens, WeightMatrix a, float[] outA, WeightMatrix b, float[] outB) {
    run(pool, x, 0, tokens, a, outA, b, outB, null, null);
  }

  /** {@link #runTokens} for three matrices in one dispatch. */
  void runTokens(RowPool pool, float[] x, int tokens, WeightMatrix a, float[] outA, WeightMatrix b, float[] outB,
      WeightMatrix c, float[] outC) {
    run(pool, x, 0, tokens, a, outA, b, outB, c, outC);
  }

  /** {@code outA = a · x} and {@code outB = b · x} in one dispatch. */
  void run(RowPool pool, float[] x, WeightMatrix a, float[] outA, WeightMatrix b, float[] outB) {
    run(pool, x, 0, 1, a, outA, b, outB, null, null);
  }

  /** {@code outA = a · x}, {@code outB = b · x} and {@code outC = c · x} in one dispatch. */
  void run(RowPool pool, float[] x, WeightMatrix a, float[] outA, WeightMatrix b, float[] outB, WeightMatrix c,
      float[] outC) {
    run(pool, x, 0, 1, a, outA, b, outB, c, outC);
  }

  private void run(RowPool pool, float[] x, int xOffset, int tokens, WeightMatrix a, float[] outA, WeightMatrix b,
      float[] outB, WeightMatrix c, float[] outC) {
    if (pool.threads() == 1) {
      a.matvecBatchRows(x, xOffset, tokens, outA, 0, 0, a.rows());
      if (b != null) {
        b.matvecBatchRows(x, xOffset, tokens, outB, 0, 0, b.rows());
      }
      if (c != null) {
        c.matvecBatchRows(x, xOffset, tokens, outC, 0, 0, c.rows());
      }
      return;
    }
    this.x = x;
    this.xOffset = xOffset;
    this.tokens = tokens;
    count = 0;
    add(a, outA);
    add(b, outB);
    add(c, outC);
    parts = pool.threads();
    if (runs.length() < PAD * (parts + 2)) {
      runs = new AtomicLongArray(PAD * (parts + 2));
    }
    int total = firstChunk[count];
    for (int t = 0; t < parts; t++) {
      runs.set(PAD * (t + 1), span((long) total * t / parts, (long) total * (t + 1) / parts));
    }
    try {
      pool.forRange(parts, this);
    } finally {
      this.x = null;
      for (int i = 0; i < 3; i++) {
        matrices[i] = null;
        outs[i] = null;
      }
    }
  }

  private void add(WeightMatrix m, float[] out) {
    if (m == null) {
      return;
    }
    int rows = Math.max(ROW_ALIGN, chunkBytes / m.rowBytes() / ROW_ALIGN * ROW_ALIGN);
    matrices[count] = m;
    outs[count] = out;
    chunkRows[count] = rows;
    firstChunk[count + 1] = firstChunk[count] + (m.rows() + rows - 1) / rows;
    count++;
  }

  @Override
  public void run(int start, int end, int worker) {
    for (int t = start; t < end; t++) {
      long taken;
      while ((taken = take(t, true)) >= 0) {
        compute((int) (taken >>> 32), (int) taken);
      }
    }
    for (int k = 1; k < parts; k++) {
      int t = (start + k) % parts;
      long taken;
      while ((taken = take(t, false)) >= 0) {
        compute((int) (taken >>> 32), (int) taken);
      }
    }
  }

  private static long span(long first, long end) {
    return first << 32 | end;
  }

  /**
   * Chunks taken from thread {@code t}'s run: from the front a quarter of what is left (at least
   * one), so that the owner makes few calls, or from the back a single one, so that the others can
   * share out the tail; {@code first << 32 | end}, or -1 if none is left.
   */
  private long take(int t, boolean front) {
    int at = PAD * (t + 1);
    while (true) {
      long s = runs.get(at);
      int first = (int) (s >>> 32);
      int end = (int) s;
      if (first >= end) {
        return -1;
      }
      int from = front ? first : end - 1;
      int to = front ? first + Math.max(1, (end - first) / 4) : end;
      if (runs.compareAndSet(at, s, front ? span(to, end) : span(first, from))) {
        return span(from, to);
      }
    }
  }

  /** The rows of chunks {@code [from, to)}, one call per matrix they cover. */
  private void compute(int from, int to) {
    int i = 0;
    while (from < to) {
      while (from >= firstChunk[i + 1]) {
        i++;
      }
      int upTo = Math.min(to, firstChunk[i + 1]);
      WeightMatrix m = matrices[i];
      int r0 = (from - firstChunk[i]) * chunkRows[i];
      int r1 = Math.min(m.rows(), (upTo - firstChunk[i]) * chunkRows[i]);
      m.matvecBatchRows(x, xOffset, tokens, outs[i], 0, r0, r1);
      from = upTo;
    }
  }
}

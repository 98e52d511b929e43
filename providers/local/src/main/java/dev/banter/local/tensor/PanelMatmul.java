package dev.banter.local.tensor;

import static dev.banter.local.tensor.VectorKernels.F;
import static dev.banter.local.tensor.VectorKernels.L;

import dev.banter.api.JvmOnly;
import jdk.incubator.vector.FloatVector;

/**
 * The batched product's inner tiles with the vectors along the tokens. The batch's activations
 * are packed once per call into panels of three, two or one vectors of tokens, {@code panel[k ·
 * width + t]} = {@code x[t][k]}, the last padded with zeros; each group of eight expanded rows is
 * interleaved column by column, and its weights are broadcast into the FMAs with a panel's vectors.
 * Eight rows by three vectors keep 24 accumulators in registers and take, per column, three vector
 * loads and eight four-byte broadcasts for 24 FMAs.
 *
 * <p>{@link VectorKernels}' four-by-four tile took eight vector loads for sixteen FMAs, from four
 * rows and four tokens 8 KB apart, and with sixteen lanes each load spanned two cache lines unless
 * its array happened to start on one: MatvecBench (2048 × 5632, 128 tokens, one thread, a Xeon
 * with AVX-512) measured 69.5 GFLOP/s in one JVM and 88 in another by where the arrays lay; these
 * tiles 84-90 in every run (the tile alone 121-124; the rest is expanding and interleaving the
 * rows). A broadcast never spans two lines. Interleaving the eight rows first raised the tile alone
 * from 102 to 124 (one stream of weights instead of eight).
 *
 * <p>Each result is one FMA chain over the columns in order, in one lane, whatever the tile, the
 * panel or the rows' range: a token's result does not depend on the batch it came in or the
 * threads, which reusing a prompt prefix relies on. Used where there are 32 vector registers
 * (AVX-512, NEON); with sixteen the 24 accumulators would spill.
 */
@JvmOnly
final class PanelMatmul {
  /** Rows per tile. */
  static final int ROWS = 8;
  /** Tokens of a wide panel: three vectors. */
  static final int WIDE = 3 * L;
  /**
   * Columns packed per sweep over a panel's tokens: the panel's lines they write (16 columns of 48
   * tokens, 3 KB) stay in L1 until every token has filled its place in them, where a sweep over all
   * columns per token wrote each line sixteen times from L2.
   */
  private static final int PACK_COLUMNS = 16;

  private PanelMatmul() {}

  /** The width of the next panel when {@code left} tokens are left: three vectors, two or one. */
  private static int width(int left) {
    return left >= WIDE ? WIDE : left >= 2 * L ? 2 * L : L;
  }

  /** Lanes the panels give {@code n} tokens: whole vectors, the last filled with zeros. */
  static int panelTokens(int n) {
    return (n + L - 1) / L * L;
  }

  /**
   * Packs tokens {@code [0, m)} ({@code m} = {@link #panelTokens}) of {@code x} into {@code
   * panels}: wide panels of {@link #WIDE} tokens first, then panels of L, each column-major.
   */
  static void pack(float[] x, int xOffset, int cols, int n, float[] panels) {
    int m = panelTokens(n);
    int t0 = 0;
    int at = 0;
    while (t0 < m) {
      int width = width(m - t0);
      for (int k0 = 0; k0 < cols; k0 += PACK_COLUMNS) {
        int k1 = Math.min(cols, k0 + PACK_COLUMNS);
        for (int t = 0; t < width; t++) {
          if (t0 + t < n) {
            int src = xOffset + (t0 + t) * cols;
            for (int k = k0; k < k1; k++) {
              panels[at + k * width + t] = x[src + k];
            }
          } else {
            for (int k = k0; k < k1; k++) {
              panels[at + k * width + t] = 0f;
            }
          }
        }
      }
      at += width * cols;
      t0 += width;
    }
  }

  /**
   * Rows {@code [0, nr)} of {@code wf} (row-major, {@code cols} each) times the packed tokens:
   * {@code out[o + t · rows + k]}. Each group of eight rows is interleaved into {@code wi} first,
   * {@code wi[c · 8 + r]}, so the tile's broadcasts read one stream (eight streams 8 KB apart ran
   * the tile at 102 GFLOP/s, one at 130-140); the rows past the last eight take {@link #row}.
   */
  static void multiply(float[] wf, int nr, int cols, float[] wi, float[] panels, int n, float[] out, int o,
      int rows, float[] lanes, int[] gather) {
    int m = panelTokens(n);
    int tiled = nr / ROWS * ROWS;
    for (int k = 0; k < tiled; k += ROWS) {
      interleave(wf, k * cols, cols, wi, k * cols, gather);
    }
    int t0 = 0;
    int at = 0;
    while (t0 < m) {
      int width = width(m - t0);
      for (int k = 0; k < tiled; k += ROWS) {
        int to = o + t0 * rows + k;
        int w0 = k * cols;
        if (width == WIDE) {
          tile8x3(wi, w0, cols, panels, at, out, to, rows, lanes, n - t0);
        } else if (width == 2 * L) {
          tile8x2(wi, w0, cols, panels, at, out, to, rows, lanes, n - t0);
        } else {
          tile8x1(wi, w0, cols, panels, at, out, to, rows, lanes, n - t0);
        }
      }
      at += width * cols;
      t0 += width;
    }
    for (int k = tiled; k < nr; k++) {
      t0 = 0;
      at = 0;
      while (t0 < m) {
        int width = width(m - t0);
        for (int v = 0; v < width; v += L) {
          row(wf, k * cols, cols, panels, at + v, width, out, o + (t0 + v) * rows + k, rows, lanes, n - t0 - v);
        }
        at += width * cols;
        t0 += width;
      }
    }
  }

  /** {@code wi[wio + c · 8 + r] = wf[wo + r · cols + c]} for the eight rows. */
  private static void interleave(float[] wf, int wo, int cols, float[] wi, int wio, int[] gather) {
    if (L == 16) {
      if (gather[1] != cols) {
        for (int lane = 0; lane < L; lane++) {
          gather[lane] = (lane & 7) * cols + (lane >> 3);
        }
      }
      for (int c = 0; c < cols; c += 2) {
        FloatVector.fromArray(F, wf, wo + c, gather, 0).intoArray(wi, wio + c * ROWS);
      }
      return;
    }
    for (int c = 0; c < cols; c++) {
      int to = wio + c * ROWS;
      wi[to] = wf[wo + c];
      wi[to + 1] = wf[wo + cols + c];
      wi[to + 2] = wf[wo + 2 * cols + c];
      wi[to + 3] = wf[wo + 3 * cols + c];
      wi[to + 4] = wf[wo + 4 * cols + c];
      wi[to + 5] = wf[wo + 5 * cols + c];
      wi[to + 6] = wf[wo + 6 * cols + c];
      wi[to + 7] = wf[wo + 7 * cols + c];
    }
  }

  /**
   * One row times one vector of tokens at lane offset {@code p} of a panel {@code width} wide:
   * the tiles' operations for one of their accumulators.
   */
  private static void row(float[] wf, int wo, int cols, float[] panel, int p, int width, float[] out, int o,
      int rows, float[] lanes, int valid) {
    FloatVector a = FloatVector.zero(F);
    for (int c = 0; c < cols; c++) {
      a = FloatVector.fromArray(F, panel, p + c * width).fma(FloatVector.broadcast(F, wf[wo + c]), a);
    }
    a.intoArray(lanes, 0);
    scatter(out, o, rows, lanes, valid);
  }

  /** Eight interleaved rows times the wide panel at {@code p}. */
  static void tile8x3(float[] wi, int w0, int cols, float[] panel, int p, float[] out, int o, int rows,
      float[] lanes, int valid) {
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a02 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a12 = FloatVector.zero(F);
    FloatVector a20 = FloatVector.zero(F);
    FloatVector a21 = FloatVector.zero(F);
    FloatVector a22 = FloatVector.zero(F);
    FloatVector a30 = FloatVector.zero(F);
    FloatVector a31 = FloatVector.zero(F);
    FloatVector a32 = FloatVector.zero(F);
    FloatVector a40 = FloatVector.zero(F);
    FloatVector a41 = FloatVector.zero(F);
    FloatVector a42 = FloatVector.zero(F);
    FloatVector a50 = FloatVector.zero(F);
    FloatVector a51 = FloatVector.zero(F);
    FloatVector a52 = FloatVector.zero(F);
    FloatVector a60 = FloatVector.zero(F);
    FloatVector a61 = FloatVector.zero(F);
    FloatVector a62 = FloatVector.zero(F);
    FloatVector a70 = FloatVector.zero(F);
    FloatVector a71 = FloatVector.zero(F);
    FloatVector a72 = FloatVector.zero(F);
    for (int k = 0; k < cols; k++) {
      int xb = p + k * WIDE;
      int wb = w0 + k * ROWS;
      FloatVector x0 = FloatVector.fromArray(F, panel, xb);
      FloatVector x1 = FloatVector.fromArray(F, panel, xb + L);
      FloatVector x2 = FloatVector.fromArray(F, panel, xb + 2 * L);
      FloatVector w = FloatVector.broadcast(F, wi[wb]);
      a00 = x0.fma(w, a00);
      a01 = x1.fma(w, a01);
      a02 = x2.fma(w, a02);
      w = FloatVector.broadcast(F, wi[wb + 1]);
      a10 = x0.fma(w, a10);
      a11 = x1.fma(w, a11);
      a12 = x2.fma(w, a12);
      w = FloatVector.broadcast(F, wi[wb + 2]);
      a20 = x0.fma(w, a20);
      a21 = x1.fma(w, a21);
      a22 = x2.fma(w, a22);
      w = FloatVector.broadcast(F, wi[wb + 3]);
      a30 = x0.fma(w, a30);
      a31 = x1.fma(w, a31);
      a32 = x2.fma(w, a32);
      w = FloatVector.broadcast(F, wi[wb + 4]);
      a40 = x0.fma(w, a40);
      a41 = x1.fma(w, a41);
      a42 = x2.fma(w, a42);
      w = FloatVector.broadcast(F, wi[wb + 5]);
      a50 = x0.fma(w, a50);
      a51 = x1.fma(w, a51);
      a52 = x2.fma(w, a52);
      w = FloatVector.broadcast(F, wi[wb + 6]);
      a60 = x0.fma(w, a60);
      a61 = x1.fma(w, a61);
      a62 = x2.fma(w, a62);
      w = FloatVector.broadcast(F, wi[wb + 7]);
      a70 = x0.fma(w, a70);
      a71 = x1.fma(w, a71);
      a72 = x2.fma(w, a72);
    }
    a00.intoArray(lanes, 0);
    scatter(out, o, rows, lanes, valid);
    a01.intoArray(lanes, 0);
    scatter(out, o + L * rows, rows, lanes, valid - L);
    a02.intoArray(lanes, 0);
    scatter(out, o + 2 * L * rows, rows, lanes, valid - 2 * L);
    a10.intoArray(lanes, 0);
    scatter(out, o + 1, rows, lanes, valid);
    a11.intoArray(lanes, 0);
    scatter(out, o + 1 + L * rows, rows, lanes, valid - L);
    a12.intoArray(lanes, 0);
    scatter(out, o + 1 + 2 * L * rows, rows, lanes, valid - 2 * L);
    a20.intoArray(lanes, 0);
    scatter(out, o + 2, rows, lanes, valid);
    a21.intoArray(lanes, 0);
    scatter(out, o + 2 + L * rows, rows, lanes, valid - L);
    a22.intoArray(lanes, 0);
    scatter(out, o + 2 + 2 * L * rows, rows, lanes, valid - 2 * L);
    a30.intoArray(lanes, 0);
    scatter(out, o + 3, rows, lanes, valid);
    a31.intoArray(lanes, 0);
    scatter(out, o + 3 + L * rows, rows, lanes, valid - L);
    a32.intoArray(lanes, 0);
    scatter(out, o + 3 + 2 * L * rows, rows, lanes, valid - 2 * L);
    a40.intoArray(lanes, 0);
    scatter(out, o + 4, rows, lanes, valid);
    a41.intoArray(lanes, 0);
    scatter(out, o + 4 + L * rows, rows, lanes, valid - L);
    a42.intoArray(lanes, 0);
    scatter(out, o + 4 + 2 * L * rows, rows, lanes, valid - 2 * L);
    a50.intoArray(lanes, 0);
    scatter(out, o + 5, rows, lanes, valid);
    a51.intoArray(lanes, 0);
    scatter(out, o + 5 + L * rows, rows, lanes, valid - L);
    a52.intoArray(lanes, 0);
    scatter(out, o + 5 + 2 * L * rows, rows, lanes, valid - 2 * L);
    a60.intoArray(lanes, 0);
    scatter(out, o + 6, rows, lanes, valid);
    a61.intoArray(lanes, 0);
    scatter(out, o + 6 + L * rows, rows, lanes, valid - L);
    a62.intoArray(lanes, 0);
    scatter(out, o + 6 + 2 * L * rows, rows, lanes, valid - 2 * L);
    a70.intoArray(lanes, 0);
    scatter(out, o + 7, rows, lanes, valid);
    a71.intoArray(lanes, 0);
    scatter(out, o + 7 + L * rows, rows, lanes, valid - L);
    a72.intoArray(lanes, 0);
    scatter(out, o + 7 + 2 * L * rows, rows, lanes, valid - 2 * L);
  }

  /** Eight interleaved rows times the two-vector panel at {@code p}. */
  private static void tile8x2(float[] wi, int w0, int cols, float[] panel, int p, float[] out, int o, int rows,
      float[] lanes, int valid) {
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = FloatVector.zero(F);
    FloatVector a10 = FloatVector.zero(F);
    FloatVector a11 = FloatVector.zero(F);
    FloatVector a20 = FloatVector.zero(F);
    FloatVector a21 = FloatVector.zero(F);
    FloatVector a30 = FloatVector.zero(F);
    FloatVector a31 = FloatVector.zero(F);
    FloatVector a40 = FloatVector.zero(F);
    FloatVector a41 = FloatVector.zero(F);
    FloatVector a50 = FloatVector.zero(F);
    FloatVector a51 = FloatVector.zero(F);
    FloatVector a60 = FloatVector.zero(F);
    FloatVector a61 = FloatVector.zero(F);
    FloatVector a70 = FloatVector.zero(F);
    FloatVector a71 = FloatVector.zero(F);
    for (int k = 0; k < cols; k++) {
      int xb = p + k * 2 * L;
      int wb = w0 + k * ROWS;
      FloatVector x0 = FloatVector.fromArray(F, panel, xb);
      FloatVector x1 = FloatVector.fromArray(F, panel, xb + L);
      FloatVector w = FloatVector.broadcast(F, wi[wb]);
      a00 = x0.fma(w, a00);
      a01 = x1.fma(w, a01);
      w = FloatVector.broadcast(F, wi[wb + 1]);
      a10 = x0.fma(w, a10);
      a11 = x1.fma(w, a11);
      w = FloatVector.broadcast(F, wi[wb + 2]);
      a20 = x0.fma(w, a20);
      a21 = x1.fma(w, a21);
      w = FloatVector.broadcast(F, wi[wb + 3]);
      a30 = x0.fma(w, a30);
      a31 = x1.fma(w, a31);
      w = FloatVector.broadcast(F, wi[wb + 4]);
      a40 = x0.fma(w, a40);
      a41 = x1.fma(w, a41);
      w = FloatVector.broadcast(F, wi[wb + 5]);
      a50 = x0.fma(w, a50);
      a51 = x1.fma(w, a51);
      w = FloatVector.broadcast(F, wi[wb + 6]);
      a60 = x0.fma(w, a60);
      a61 = x1.fma(w, a61);
      w = FloatVector.broadcast(F, wi[wb + 7]);
      a70 = x0.fma(w, a70);
      a71 = x1.fma(w, a71);
    }
    a00.intoArray(lanes, 0);
    scatter(out, o, rows, lanes, valid);
    a01.intoArray(lanes, 0);
    scatter(out, o + L * rows, rows, lanes, valid - L);
    a10.intoArray(lanes, 0);
    scatter(out, o + 1, rows, lanes, valid);
    a11.intoArray(lanes, 0);
    scatter(out, o + 1 + L * rows, rows, lanes, valid - L);
    a20.intoArray(lanes, 0);
    scatter(out, o + 2, rows, lanes, valid);
    a21.intoArray(lanes, 0);
    scatter(out, o + 2 + L * rows, rows, lanes, valid - L);
    a30.intoArray(lanes, 0);
    scatter(out, o + 3, rows, lanes, valid);
    a31.intoArray(lanes, 0);
    scatter(out, o + 3 + L * rows, rows, lanes, valid - L);
    a40.intoArray(lanes, 0);
    scatter(out, o + 4, rows, lanes, valid);
    a41.intoArray(lanes, 0);
    scatter(out, o + 4 + L * rows, rows, lanes, valid - L);
    a50.intoArray(lanes, 0);
    scatter(out, o + 5, rows, lanes, valid);
    a51.intoArray(lanes, 0);
    scatter(out, o + 5 + L * rows, rows, lanes, valid - L);
    a60.intoArray(lanes, 0);
    scatter(out, o + 6, rows, lanes, valid);
    a61.intoArray(lanes, 0);
    scatter(out, o + 6 + L * rows, rows, lanes, valid - L);
    a70.intoArray(lanes, 0);
    scatter(out, o + 7, rows, lanes, valid);
    a71.intoArray(lanes, 0);
    scatter(out, o + 7 + L * rows, rows, lanes, valid - L);
  }

  /** Eight interleaved rows times the one-vector panel at {@code p}. */
  private static void tile8x1(float[] wi, int w0, int cols, float[] panel, int p, float[] out, int o, int rows,
      float[] lanes, int valid) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = FloatVector.zero(F);
    FloatVector a2 = FloatVector.zero(F);
    FloatVector a3 = FloatVector.zero(F);
    FloatVector a4 = FloatVector.zero(F);
    FloatVector a5 = FloatVector.zero(F);
    FloatVector a6 = FloatVector.zero(F);
    FloatVector a7 = FloatVector.zero(F);
    for (int k = 0; k < cols; k++) {
      FloatVector x0 = FloatVector.fromArray(F, panel, p + k * L);
      int wb = w0 + k * ROWS;
      a0 = x0.fma(FloatVector.broadcast(F, wi[wb]), a0);
      a1 = x0.fma(FloatVector.broadcast(F, wi[wb + 1]), a1);
      a2 = x0.fma(FloatVector.broadcast(F, wi[wb + 2]), a2);
      a3 = x0.fma(FloatVector.broadcast(F, wi[wb + 3]), a3);
      a4 = x0.fma(FloatVector.broadcast(F, wi[wb + 4]), a4);
      a5 = x0.fma(FloatVector.broadcast(F, wi[wb + 5]), a5);
      a6 = x0.fma(FloatVector.broadcast(F, wi[wb + 6]), a6);
      a7 = x0.fma(FloatVector.broadcast(F, wi[wb + 7]), a7);
    }
    a0.intoArray(lanes, 0);
    scatter(out, o, rows, lanes, valid);
    a1.intoArray(lanes, 0);
    scatter(out, o + 1, rows, lanes, valid);
    a2.intoArray(lanes, 0);
    scatter(out, o + 2, rows, lanes, valid);
    a3.intoArray(lanes, 0);
    scatter(out, o + 3, rows, lanes, valid);
    a4.intoArray(lanes, 0);
    scatter(out, o + 4, rows, lanes, valid);
    a5.intoArray(lanes, 0);
    scatter(out, o + 5, rows, lanes, valid);
    a6.intoArray(lanes, 0);
    scatter(out, o + 6, rows, lanes, valid);
    a7.intoArray(lanes, 0);
    scatter(out, o + 7, rows, lanes, valid);
  }

  /**
   * Lane {@code t} of the vector its kernel stored at {@code lanes[0 ..]} to {@code out[o + t ·
   * rows]}, for the first {@code valid} lanes. The kernels hand over the array, not the vector: a
   * helper that took a vector would box it wherever C2 declines to inline the call, which it may
   * at the end of a long kernel (KernelHelperShapeTest).
   */
  private static void scatter(float[] out, int o, int rows, float[] lanes, int valid) {
    int count = Math.min(L, valid);
    for (int t = 0; t < count; t++) {
      out[o + t * rows] = lanes[t];
    }
  }
}

package dev.banter.local.tensor;

/**
 * Buffers one thread reuses across kernel calls: each grows to the largest size asked for and is
 * then never reallocated, so steady-state calls allocate nothing. Not thread-safe: one per thread.
 *
 * <p>Arrays are allocated on first use by the thread that uses them, so they come from that
 * thread's allocation buffer: buffers of different threads never share a cache line (they did
 * when the pool allocated them together, and two threads ran slower than one).
 *
 * <p>A scratch made after others have grown starts at the largest sizes any has reached. Otherwise
 * a request thread's first product grows its buffers inside kernels the JIT compiled during
 * warm-up, where growing was never seen: the compiled kernels are thrown away (an "uncommon
 * trap") and the first request after a start ran at interpreter speed until they were compiled
 * again.
 */
final class Scratch {
  private static final byte[] NO_BYTES = new byte[0];
  /**
   * Bytes past the data a kernel may read: with four float lanes a byte load still takes eight
   * (the narrowest byte vector), of which it uses four.
   */
  static final int SLACK = 64;
  private static final float[] NO_FLOATS = new float[0];
  private static final int BYTES = 0;
  private static final int ROWS = 1;
  private static final int XSUM = 2;
  private static final int X_DIV_16 = 3;
  private static final int SCALES = 4;
  private static final int CORRECTIONS = 5;
  private static final int XSUM_WIDE = 6;
  private static final int X_PERMUTED = 7;
  private static final int PACKED = 8;
  private static final int SUPER_SCALES = 9;
  private static final int PANELS = 10;
  private static final int INTERLEAVED = 11;
  /** The largest size each buffer has grown to in any scratch (benignly racy: a hint). */
  private static final int[] MARKS = new int[12];

  /** Fixed-size buffers of the block kernels that decode a block before its products. */
  final BlockBuffers block = new BlockBuffers();
  /** One vector's lanes, on their way to a strided store. */
  final float[] lanes = new float[16];
  /** Indices of a gather ({@link PanelMatmul}): lane i reads row i mod 8, column i / 8. */
  final int[] gather = new int[16];
  private byte[] bytes;
  private float[] rows;
  private float[] xsum;
  private float[] xDiv16;
  private float[] scales;
  private float[] corrections;
  private float[] xsumWide;
  private float[] xPermuted;
  private byte[] packed;
  private float[] superScales;
  private float[] panels;
  private float[] interleaved;

  /** A scratch at the sizes others have grown to; call it on the thread that will use it. */
  Scratch() {
    bytes = MARKS[BYTES] > 0 ? new byte[MARKS[BYTES]] : NO_BYTES;
    rows = floats(ROWS);
    xsum = floats(XSUM);
    xDiv16 = floats(X_DIV_16);
    scales = floats(SCALES);
    corrections = floats(CORRECTIONS);
    xsumWide = floats(XSUM_WIDE);
    xPermuted = floats(X_PERMUTED);
    packed = MARKS[PACKED] > 0 ? new byte[MARKS[PACKED]] : NO_BYTES;
    superScales = floats(SUPER_SCALES);
    panels = floats(PANELS);
    interleaved = floats(INTERLEAVED);
  }

  private static float[] floats(int kind) {
    int n = MARKS[kind];
    return n > 0 ? new float[n] : NO_FLOATS;
  }

  private static int mark(int kind, int n) {
    if (MARKS[kind] < n) {
      MARKS[kind] = n;
    }
    return n;
  }

  /** Weight bytes copied from the tensor. */
  byte[] bytes(int n) {
    if (bytes.length < n) {
      bytes = new byte[mark(BYTES, n + SLACK)];
    }
    return bytes;
  }

  /** Dequantized rows (batched products). */
  float[] rows(int n) {
    if (rows.length < n) {
      rows = new float[mark(ROWS, n)];
    }
    return rows;
  }

  /** Sums of the activations per run of 32. */
  float[] xsum(int n) {
    if (xsum.length < n) {
      xsum = new float[mark(XSUM, n)];
    }
    return xsum;
  }

  /** The activations divided by 16 (for high nibbles used in place, as 16 * q). */
  float[] xDiv16(int n) {
    if (xDiv16.length < n) {
      xDiv16 = new float[mark(X_DIV_16, n)];
    }
    return xDiv16;
  }

  /** Block scales of a group of rows, decoded ahead of the vector loop. */
  float[] scales(int n) {
    if (scales.length < n) {
      scales = new float[mark(SCALES, n)];
    }
    return scales;
  }

  /** Per-row constant terms of a chunk of rows (offsets and mins times block sums). */
  float[] corrections(int n) {
    if (corrections.length < n) {
      corrections = new float[mark(CORRECTIONS, n)];
    }
    return corrections;
  }

  /** Block sums of x spread to the mins' lanes of K-quant scale vectors. */
  float[] xsumWide(int n) {
    if (xsumWide.length < n) {
      xsumWide = new float[mark(XSUM_WIDE, n)];
    }
    return xsumWide;
  }

  /** The activations in the lane order of a kernel that reads the weights four bytes per lane. */
  float[] xPermuted(int n) {
    if (xPermuted.length < n) {
      xPermuted = new float[mark(X_PERMUTED, n)];
    }
    return xPermuted;
  }

  /** K-quant scales and mins unpacked to one byte each, 16 per super-block. */
  byte[] packed(int n) {
    if (packed.length < n) {
      packed = new byte[mark(PACKED, n + SLACK)];
    }
    return packed;
  }

  /** d and dmin of each super-block of a chunk. */
  float[] superScales(int n) {
    if (superScales.length < n) {
      superScales = new float[mark(SUPER_SCALES, n)];
    }
    return superScales;
  }

  /** The batch's activations packed into panels ({@link PanelMatmul}). */
  float[] panels(int n) {
    if (panels.length < n) {
      panels = new float[mark(PANELS, n)];
    }
    return panels;
  }

  /** Eight expanded rows interleaved column by column ({@link PanelMatmul}). */
  float[] interleaved(int n) {
    if (interleaved.length < n) {
      interleaved = new float[mark(INTERLEAVED, n)];
    }
    return interleaved;
  }
}

package dev.banter.local.tensor;

/**
 * Buffers one thread reuses across kernel calls: each grows to the largest size asked for and is
 * then never reallocated, so steady-state calls allocate nothing. Not thread-safe: one per thread.
 *
 * <p>Arrays are allocated on first use by the thread that uses them, so they come from that
 * thread's allocation buffer: buffers of different threads never share a cache line (they did
 * when the pool allocated them together, and two threads ran slower than one).
 */
final class Scratch {
  private static final byte[] NO_BYTES = new byte[0];
  /**
   * Bytes past the data a kernel may read: with four float lanes a byte load still takes eight
   * (the narrowest byte vector), of which it uses four.
   */
  static final int SLACK = 64;
  private static final float[] NO_FLOATS = new float[0];

  private byte[] bytes = NO_BYTES;
  private float[] rows = NO_FLOATS;
  private float[] xsum = NO_FLOATS;
  private float[] xDiv16 = NO_FLOATS;
  private float[] scales = NO_FLOATS;
  private float[] corrections = NO_FLOATS;
  private float[] xsumWide = NO_FLOATS;
  private float[] xPermuted = new float[0];
  private byte[] packed = NO_BYTES;
  private float[] superScales = NO_FLOATS;

  /** Weight bytes copied from the tensor. */
  byte[] bytes(int n) {
    if (bytes.length < n) {
      bytes = new byte[n + SLACK];
    }
    return bytes;
  }

  /** Dequantized rows (batched products). */
  float[] rows(int n) {
    if (rows.length < n) {
      rows = new float[n];
    }
    return rows;
  }

  /** Sums of the activations per run of 32. */
  float[] xsum(int n) {
    if (xsum.length < n) {
      xsum = new float[n];
    }
    return xsum;
  }

  /** The activations divided by 16 (for high nibbles used in place, as 16 * q). */
  float[] xDiv16(int n) {
    if (xDiv16.length < n) {
      xDiv16 = new float[n];
    }
    return xDiv16;
  }

  /** Block scales of a group of rows, decoded ahead of the vector loop. */
  float[] scales(int n) {
    if (scales.length < n) {
      scales = new float[n];
    }
    return scales;
  }

  /** Per-row constant terms of a chunk of rows (offsets and mins times block sums). */
  float[] corrections(int n) {
    if (corrections.length < n) {
      corrections = new float[n];
    }
    return corrections;
  }

  /** Block sums of x spread to the mins' lanes of K-quant scale vectors. */
  float[] xsumWide(int n) {
    if (xsumWide.length < n) {
      xsumWide = new float[n];
    }
    return xsumWide;
  }

  /** The activations in the lane order of a kernel that reads the weights four bytes per lane. */
  float[] xPermuted(int n) {
    if (xPermuted.length < n) {
      xPermuted = new float[n];
    }
    return xPermuted;
  }

  /** K-quant scales and mins unpacked to one byte each, 16 per super-block. */
  byte[] packed(int n) {
    if (packed.length < n) {
      packed = new byte[n + SLACK];
    }
    return packed;
  }

  /** d and dmin of each super-block of a chunk. */
  float[] superScales(int n) {
    if (superScales.length < n) {
      superScales = new float[n];
    }
    return superScales;
  }
}

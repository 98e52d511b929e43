package dev.banter.local.tensor;

/**
 * Buffers one thread reuses across kernel calls: each grows to the largest size asked for and is
 * then never reallocated, so steady-state calls allocate nothing. Not thread-safe: one per thread.
 */
final class Scratch {
  private byte[] bytes = new byte[0];
  private float[] rows = new float[0];
  private float[] xsum = new float[0];
  private float[] xDiv16 = new float[0];
  private float[] scales = new float[0];
  private final float[] corrections = new float[4];

  /** Weight bytes copied from the tensor. */
  byte[] bytes(int n) {
    if (bytes.length < n) {
      bytes = new byte[n];
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

  /** Per-row constant terms of a group of four rows (offsets and mins times block sums). */
  float[] corrections() {
    return corrections;
  }
}

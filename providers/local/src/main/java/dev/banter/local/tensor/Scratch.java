package dev.banter.local.tensor;

/**
 * Buffers one thread reuses across kernel calls: they grow to the largest size asked for and are
 * then never reallocated, so steady-state calls allocate nothing. Not thread-safe: one per thread.
 */
final class Scratch {
  private byte[] bytes = new byte[0];
  private float[] floats = new float[0];
  private float[] floats2 = new float[0];

  byte[] bytes(int n) {
    if (bytes.length < n) {
      bytes = new byte[n];
    }
    return bytes;
  }

  float[] floats(int n) {
    if (floats.length < n) {
      floats = new float[n];
    }
    return floats;
  }

  float[] floats2(int n) {
    if (floats2.length < n) {
      floats2 = new float[n];
    }
    return floats2;
  }
}

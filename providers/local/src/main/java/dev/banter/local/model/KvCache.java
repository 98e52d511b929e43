package dev.banter.local.model;

/**
 * The keys and values of one sequence, float32, one flat array per layer: the entry of position
 * {@code p} starts at {@code p · kvDim}, key/value head {@code g} at {@code p · kvDim + g ·
 * headDim}. Positions at and beyond the session's length hold stale data that is overwritten
 * before it is read. Not thread-safe.
 */
final class KvCache {
  final float[][] keys;
  final float[][] values;
  final int capacity;
  final int kvDim;

  KvCache(int layers, int capacity, int kvDim) {
    this.capacity = capacity;
    this.kvDim = kvDim;
    this.keys = new float[layers][];
    this.values = new float[layers][];
    for (int l = 0; l < layers; l++) {
      keys[l] = new float[capacity * kvDim];
      values[l] = new float[capacity * kvDim];
    }
  }

  /** The bytes a cache of this shape takes. */
  static long bytes(int layers, int capacity, int kvDim) {
    return 2L * layers * capacity * kvDim * Float.BYTES;
  }
}

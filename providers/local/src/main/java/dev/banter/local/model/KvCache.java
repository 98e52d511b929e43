package dev.banter.local.model;

/**
 * The keys and values of one sequence, float32, one pair of flat arrays per layer. Keys are stored
 * by dimension: key dimension {@code i} (of {@code kvDim}, head {@code g} holding dimensions
 * {@code g · headDim ..}) of position {@code p} is at {@code i · capacity + p}, so that a query's
 * scores against consecutive positions are a product with contiguous rows. Values are stored by
 * position: value dimension {@code i} of position {@code p} is at {@code p · kvDim + i}, so that
 * the weighted sum over positions reads contiguous rows too. Positions at and beyond the session's
 * length hold stale data that is overwritten before it is read. Not thread-safe.
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

  /** Stores the keys and values of {@code n} tokens ({@code n × kvDim} each, token-major) at positions {@code pos ..}. */
  void store(int layer, float[] k, float[] v, int pos, int n) {
    float[] keys = this.keys[layer];
    for (int t = 0; t < n; t++) {
      int src = t * kvDim;
      for (int i = 0; i < kvDim; i++) {
        keys[i * capacity + pos + t] = k[src + i];
      }
    }
    System.arraycopy(v, 0, values[layer], pos * kvDim, n * kvDim);
  }

  /** The bytes a cache of this shape takes. */
  static long bytes(int layers, int capacity, int kvDim) {
    return 2L * layers * capacity * kvDim * Float.BYTES;
  }
}

package dev.banter.local.model;

/**
 * The keys and values of one sequence, float32. Each layer's keys are stored by dimension: key
 * dimension {@code i} (of {@code kvDim}; head {@code g} holds dimensions {@code g · headDim ..})
 * of position {@code p} is at {@code keyOffset(layer) + i · capacity + p}, so that a query's
 * scores against consecutive positions are products with contiguous rows. Values are stored by
 * position: value dimension {@code i} of position {@code p} is at {@code valueOffset(layer) + p ·
 * kvDim + i}, so that the weighted sum over positions reads contiguous rows too. Positions at and
 * beyond the session's length hold stale data that is overwritten before it is read.
 *
 * <p>The whole cache is one array when it fits in one (the usual case), else one array per layer:
 * a JVM that places large arrays in whole heap regions (G1's humongous objects) would otherwise
 * round up each of the {@code 2 × layers} arrays (a 2 MiB array of a 1 MiB-region heap takes three
 * regions: half as much again). Not thread-safe.
 */
final class KvCache {
  final int capacity;
  final int kvDim;
  private final float[][] arrays;
  private final int[] keyOffsets;
  private final int[] valueOffsets;

  KvCache(int layers, int capacity, int kvDim) {
    this.capacity = capacity;
    this.kvDim = kvDim;
    this.arrays = new float[layers][];
    this.keyOffsets = new int[layers];
    this.valueOffsets = new int[layers];
    int perLayer = capacity * kvDim;
    if (2L * layers * perLayer <= Integer.MAX_VALUE - 8) {
      float[] all = new float[2 * layers * perLayer];
      for (int l = 0; l < layers; l++) {
        arrays[l] = all;
        keyOffsets[l] = 2 * l * perLayer;
        valueOffsets[l] = (2 * l + 1) * perLayer;
      }
    } else {
      for (int l = 0; l < layers; l++) {
        arrays[l] = new float[2 * perLayer];
        valueOffsets[l] = perLayer;
      }
    }
  }

  /** The array holding layer {@code layer}'s keys and values. */
  float[] array(int layer) {
    return arrays[layer];
  }

  int keyOffset(int layer) {
    return keyOffsets[layer];
  }

  int valueOffset(int layer) {
    return valueOffsets[layer];
  }

  /**
   * Stores the keys and values of {@code n} tokens ({@code n × kvDim} each, token-major, from
   * {@code k[kOffset]} and {@code v[vOffset]}) at positions {@code pos ..}.
   */
  void store(int layer, float[] k, int kOffset, float[] v, int vOffset, int pos, int n) {
    float[] a = arrays[layer];
    int keys = keyOffsets[layer] + pos;
    for (int t = 0; t < n; t++) {
      int src = kOffset + t * kvDim;
      for (int i = 0; i < kvDim; i++) {
        a[keys + i * capacity + t] = k[src + i];
      }
    }
    System.arraycopy(v, vOffset, a, valueOffsets[layer] + pos * kvDim, n * kvDim);
  }

  /** The bytes a cache of this shape takes. */
  static long bytes(int layers, int capacity, int kvDim) {
    return 2L * layers * capacity * kvDim * Float.BYTES;
  }
}

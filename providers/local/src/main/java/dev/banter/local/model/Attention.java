package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Causal self-attention over a session's KV cache: for each token of a pass and each query head,
 * scores against every cached key up to the token's own position, softmax, and the weighted sum
 * of the values. The work is cut into units of one token and one key/value head with the query
 * heads that share it (grouped-query attention, so each key and value is read once per group);
 * the pool's threads claim units until none are left, the last tokens (the longest rows) first,
 * so that a causal batch splits evenly. A token's result depends only on its position and the
 * cache, never on the other tokens of the pass or on the thread that computed it. Reused by its
 * session for every pass, so a pass allocates nothing.
 *
 * <p>The arithmetic is {@link #attend} here (the specification, and the path without a vector
 * unit) or {@link VectorOps#attend} on the Vector API.
 */
final class Attention implements RowPool.RangeTask {
  private static final boolean VECTOR = WeightMatrix.vectorized();
  /** The claim counter sits alone in the middle of this array, away from other objects' cache lines. */
  private static final int NEXT = 16;

  private final int headDim;
  private final int qDim;
  private final int kvDim;
  private final int kvHeads;
  private final int group;
  private final float kqScale;
  private final float capScale;
  private final float cap;
  private final AtomicIntegerArray claims = new AtomicIntegerArray(2 * NEXT);
  private Activations a;
  private float[] cache;
  private int keyOffset;
  private int valueOffset;
  private int capacity;
  private int pos;
  private int n;
  private int window;
  private float[] sinks;
  /** A decode step of several sessions: token t's cache and position (null for one session's pass). */
  private KvCache[] caches;
  private int[] positions;
  private int layer;

  Attention(Hyperparameters hp) {
    this.headDim = hp.headDim;
    this.qDim = hp.qDim();
    this.kvDim = hp.kvDim();
    this.kvHeads = hp.kvHeads;
    this.group = hp.groupSize();
    this.kqScale = hp.kqScale;
    this.cap = hp.attnSoftcap;
    this.capScale = hp.attnSoftcap > 0 ? hp.attnOutScale / hp.attnSoftcap : 0.0f;
  }

  /** The floats of scores one worker needs for a cache of {@code capacity} positions. */
  static int scoresPerWorker(Hyperparameters hp, int capacity) {
    return hp.groupSize() * capacity;
  }

  /**
   * Attends the {@code n} tokens of a pass at positions {@code pos ..} (their keys and values
   * already in the cache's layer {@code layer}) from {@code a.q} into {@code a.attn}; with a
   * {@code window} above 0, a token at position {@code p} sees positions {@code (p - window, p]}
   * only (llama.cpp's standard sliding window); with {@code sinks}, head {@code h}'s softmax
   * includes the logit {@code sinks[h]}, which weighs no value (gpt-oss).
   */
  void run(RowPool pool, Activations a, KvCache kv, int layer, int pos, int n, int window, float[] sinks) {
    this.a = a;
    this.cache = kv.array(layer);
    this.keyOffset = kv.keyOffset(layer);
    this.valueOffset = kv.valueOffset(layer);
    this.capacity = kv.capacity;
    this.pos = pos;
    this.n = n;
    this.window = window;
    this.sinks = sinks;
    claims.set(NEXT, 0);
    try {
      pool.forRange(Math.min(pool.threads(), n * kvHeads), this);
    } finally {
      this.a = null;
      this.cache = null;
      this.sinks = null;
    }
  }

  /**
   * Attends the {@code n} tokens of a decode step of several sessions, token {@code t} at position
   * {@code positions[t]} of {@code caches[t]} (its key and value already stored there): each token
   * exactly as a one-token {@link #run} of its own session would.
   */
  void runDecode(RowPool pool, Activations a, KvCache[] caches, int[] positions, int layer, int n, int window,
      float[] sinks) {
    this.a = a;
    this.caches = caches;
    this.positions = positions;
    this.layer = layer;
    this.n = n;
    this.window = window;
    this.sinks = sinks;
    claims.set(NEXT, 0);
    try {
      pool.forRange(Math.min(pool.threads(), n * kvHeads), this);
    } finally {
      this.a = null;
      this.caches = null;
      this.positions = null;
      this.sinks = null;
    }
  }

  @Override
  public void run(int start, int end, int worker) {
    float[] scores = a.scores[worker];
    int units = n * kvHeads;
    int unit;
    while ((unit = claims.getAndIncrement(NEXT)) < units) {
      int t = n - 1 - unit / kvHeads;
      int kvHead = unit % kvHeads;
      int qOffset = t * qDim + kvHead * group * headDim;
      float[] cache = this.cache;
      int keyOffset = this.keyOffset;
      int valueOffset = this.valueOffset;
      int capacity = this.capacity;
      int last;
      if (caches != null) {
        KvCache kv = caches[t];
        cache = kv.array(layer);
        keyOffset = kv.keyOffset(layer);
        valueOffset = kv.valueOffset(layer);
        capacity = kv.capacity;
        last = positions[t] + 1;
      } else {
        last = pos + t + 1;
      }
      int first = window > 0 ? Math.max(0, last - window) : 0;
      int len = last - first;
      int keys = keyOffset + kvHead * headDim * capacity + first;
      int values = valueOffset + kvHead * headDim + first * kvDim;
      if (VECTOR) {
        VectorOps.attend(a.q, qOffset, group, headDim, cache, keys, capacity, values, kvDim, len, kqScale, cap,
            capScale, sinks, kvHead * group, scores, a.attn, qOffset);
      } else {
        attend(a.q, qOffset, group, headDim, cache, keys, capacity, values, kvDim, len, kqScale, cap, capScale,
            sinks, kvHead * group, scores, a.attn, qOffset);
      }
    }
  }

  /**
   * Attention of {@code count} consecutive query heads at {@code q[qOffset ..]} that share one
   * key/value head, over its first {@code len} positions in {@code cache}: dimension {@code d} of
   * the head's keys is the row at {@code keys + d · capacity} (one float per position), the values
   * of position {@code j} are at {@code values + j · kvDim} (see {@link KvCache}). Results at
   * {@code out[outOffset ..]}, head after head. Scores are {@code q·k · kqScale}, or with a soft
   * cap {@code cap · tanh(q·k · capScale)}, each {@code q·k} summed over the head's dimensions in
   * order; {@code scores} holds {@code count × len}. With {@code sinks}, head {@code c}'s softmax
   * includes {@code sinks[sinkOffset + c]}.
   */
  static void attend(float[] q, int qOffset, int count, int headDim, float[] cache, int keys, int capacity,
      int values, int kvDim, int len, float kqScale, float cap, float capScale, float[] sinks, int sinkOffset,
      float[] scores, float[] out, int outOffset) {
    for (int c = 0; c < count; c++) {
      int qo = qOffset + c * headDim;
      int oo = outOffset + c * headDim;
      int so = c * len;
      for (int j = 0; j < len; j++) {
        scores[so + j] = 0.0f;
      }
      for (int d = 0; d < headDim; d++) {
        float qd = q[qo + d];
        int row = keys + d * capacity;
        for (int j = 0; j < len; j++) {
          scores[so + j] += qd * cache[row + j];
        }
      }
      for (int j = 0; j < len; j++) {
        float s = scores[so + j];
        scores[so + j] = cap > 0 ? (float) Math.tanh(s * capScale) * cap : s * kqScale;
      }
      Ops.softmax(scores, so, len, sinks == null ? Float.NEGATIVE_INFINITY : sinks[sinkOffset + c]);
      for (int i = 0; i < headDim; i++) {
        out[oo + i] = 0.0f;
      }
      for (int j = 0; j < len; j++) {
        float w = scores[so + j];
        int vo = values + j * kvDim;
        for (int i = 0; i < headDim; i++) {
          out[oo + i] += w * cache[vo + i];
        }
      }
    }
  }
}

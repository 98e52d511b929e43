package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;

/**
 * What every supported architecture shares: token embedding, RoPE attention with grouped-query
 * heads over a float KV cache, RMS norms, and the output head. A subclass binds its layer
 * weights and writes one layer's graph in {@link #block}; the pass itself is batched: {@code n}
 * tokens at once, every weight product a matrix-matrix product over the batch, attention causal
 * within the batch. Immutable after construction and safe to share between sessions; all
 * per-pass state lives in the {@link Activations} and {@link KvCache} passed in.
 */
abstract class Transformer {
  final Hyperparameters hp;
  final int vocab;
  final int dim;
  final WeightMatrix tokenEmbd;
  final WeightMatrix output;
  final float[] outputNorm;
  final float[][] attnNorm;
  final WeightMatrix[] wq;
  final WeightMatrix[] wk;
  final WeightMatrix[] wv;
  final WeightMatrix[] wo;
  final float[][] bq;
  final float[][] bk;
  final float[][] bv;
  final float[][] bo;
  /** Qwen3, Gemma 3: per-head RMS norms of q and k (null where absent). */
  final float[][] qNorm;
  final float[][] kNorm;
  /** Phi-3: q, k and v as one matrix of {@code qDim + 2 kvDim} rows (null where separate). */
  final WeightMatrix[] wqkv;
  /** gpt-oss: per layer and head, a learned logit that joins every softmax with no value (null where absent). */
  final float[][] sinks;
  final Rope rope;
  /** The rope of sliding-window layers (Gemma 3's local base), or {@link #rope}. */
  final Rope ropeSwa;
  /** Phi-3's LongRoPE factors for contexts beyond the original one, or null. */
  final Rope ropeLong;

  Transformer(Hyperparameters hp, Tensors t) {
    this.hp = hp;
    this.dim = hp.dim;
    this.vocab = t.rows("token_embd.weight");
    this.tokenEmbd = t.matrix("token_embd.weight", dim, vocab);
    this.outputNorm = t.vector("output_norm.weight", dim);
    WeightMatrix out = t.optionalMatrix("output.weight", dim, vocab);
    this.output = out != null ? out : tokenEmbd;
    int layers = hp.layers;
    attnNorm = new float[layers][];
    wq = new WeightMatrix[layers];
    wk = new WeightMatrix[layers];
    wv = new WeightMatrix[layers];
    wo = new WeightMatrix[layers];
    bq = new float[layers][];
    bk = new float[layers][];
    bv = new float[layers][];
    bo = new float[layers][];
    qNorm = new float[layers][];
    kNorm = new float[layers][];
    wqkv = new WeightMatrix[layers];
    sinks = new float[layers][];
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      attnNorm[l] = t.vector(b + "attn_norm.weight", dim);
      if (Activations.fused(hp) && t.has(b + "attn_qkv.weight")) {
        wqkv[l] = t.matrix(b + "attn_qkv.weight", dim, hp.qDim() + 2 * hp.kvDim());
      } else {
        wq[l] = t.matrix(b + "attn_q.weight", dim, hp.qDim());
        wk[l] = t.matrix(b + "attn_k.weight", dim, hp.kvDim());
        wv[l] = t.matrix(b + "attn_v.weight", dim, hp.kvDim());
      }
      qNorm[l] = t.optionalVector(b + "attn_q_norm.weight", hp.headDim);
      kNorm[l] = t.optionalVector(b + "attn_k_norm.weight", hp.headDim);
      sinks[l] = t.optionalVector(b + "attn_sinks.weight", hp.heads);
      wo[l] = t.matrix(b + "attn_output.weight", hp.qDim(), dim);
      bq[l] = t.optionalVector(b + "attn_q.bias", hp.qDim());
      bk[l] = t.optionalVector(b + "attn_k.bias", hp.kvDim());
      bv[l] = t.optionalVector(b + "attn_v.bias", hp.kvDim());
      bo[l] = t.optionalVector(b + "attn_output.bias", dim);
    }
    float[] freqs = t.optionalVector("rope_freqs.weight", hp.ropeDims / 2);
    if (freqs == null) {
      freqs = t.optionalVector("rope_factors_short.weight", hp.ropeDims / 2);
    }
    this.rope = Rope.of(hp, hp.ropeBase, hp.ropeFreqScale, freqs);
    boolean ownSwaRope = hp.slidingWindow > 0
        && (hp.ropeBaseSwa != hp.ropeBase || hp.ropeFreqScaleSwa != hp.ropeFreqScale);
    this.ropeSwa = ownSwaRope ? Rope.of(hp, hp.ropeBaseSwa, hp.ropeFreqScaleSwa, freqs) : rope;
    float[] longFactors = t.optionalVector("rope_factors_long.weight", hp.ropeDims / 2);
    this.ropeLong = longFactors != null && !t.has("rope_freqs.weight")
        ? Rope.of(hp, hp.ropeBase, hp.ropeFreqScale, longFactors) : null;
  }

  /**
   * The rope of global layers for a cache of {@code capacity} positions: Phi-3's long factors when
   * the context exceeds the original one (llama.cpp's {@code get_rope_factors}), else the file's.
   */
  final Rope globalRope(int capacity) {
    return ropeLong != null && capacity > hp.ropeOriginalContext ? ropeLong : rope;
  }

  /** One layer of the graph over the batch in {@code a.x}, updating it in place. */
  abstract void block(Activations a, KvCache kv, RowPool pool, int layer, int n, int pos);

  /**
   * Runs {@code n} tokens {@code tokens[offset ..]} at positions {@code pos ..} through every
   * layer, storing their keys and values; the final hidden states are left in {@code a.x}.
   */
  final void forward(Activations a, KvCache kv, RowPool pool, int[] tokens, int offset, int n, int pos) {
    for (int t = 0; t < n; t++) {
      tokenEmbd.dequantizeRow(tokens[offset + t], a.x, t * dim);
    }
    if (hp.embeddingScale != 0.0f) {
      Ops.scale(a.x, 0, n * dim, hp.embeddingScale);
    }
    int half = rope.dims() / 2;
    Rope global = globalRope(kv.capacity);
    for (int t = 0; t < n; t++) {
      global.angles(pos + t, a.cos, a.sin, t * half);
      if (ropeSwa != rope) {
        ropeSwa.angles(pos + t, a.cosSwa, a.sinSwa, t * half);
      }
    }
    for (int l = 0; l < hp.layers; l++) {
      block(a, kv, pool, l, n, pos);
    }
  }

  /**
   * A decode step of {@code n} sessions: token {@code tokens[t]} at position {@code positions[t]}
   * of {@code caches[t]}, through every layer, each token computed exactly as a one-token {@link
   * #forward} of its own session computes it; the final hidden states are left in {@code a.x}.
   */
  final void forwardDecode(Activations a, KvCache[] caches, int[] positions, RowPool pool, int[] tokens, int n) {
    forwardSessions(a, caches, positions, pool, tokens, n, true);
  }

  /**
   * Runs token {@code tokens[t]} at position {@code positions[t]} of {@code caches[t]} for {@code t
   * < n} through every layer, each attending its own cache; the final hidden states are left in
   * {@code a.x}. {@code tokenwise}: every token's products as a one-token {@link #forward} computes
   * them (a decode step); else as a batch's matrix products (several sessions' prompt tokens in
   * one pass, each as its own session's {@link #forward} of at least two tokens computes it, a
   * row of a batched product not depending on the batch). A session's tokens may appear several
   * times, at consecutive positions: every key and value of a layer is stored before any token
   * attends, so each sees those before it.
   */
  final void forwardSessions(Activations a, KvCache[] caches, int[] positions, RowPool pool, int[] tokens, int n,
      boolean tokenwise) {
    for (int t = 0; t < n; t++) {
      tokenEmbd.dequantizeRow(tokens[t], a.x, t * dim);
    }
    if (hp.embeddingScale != 0.0f) {
      Ops.scale(a.x, 0, n * dim, hp.embeddingScale);
    }
    int half = rope.dims() / 2;
    for (int t = 0; t < n; t++) {
      globalRope(caches[t].capacity).angles(positions[t], a.cos, a.sin, t * half);
      if (ropeSwa != rope) {
        ropeSwa.angles(positions[t], a.cosSwa, a.sinSwa, t * half);
      }
    }
    a.caches = caches;
    a.positions = positions;
    a.tokenwise = tokenwise;
    try {
      for (int l = 0; l < hp.layers; l++) {
        block(a, null, pool, l, n, -1);
      }
    } finally {
      a.caches = null;
      a.positions = null;
      a.tokenwise = false;
    }
  }

  /**
   * The logits of the {@code n} rows of a decode step ({@link #forwardDecode}), row after row into
   * {@code out} ({@code n × vocab}), each as {@link #logits} computes it.
   */
  final void decodeLogits(Activations a, RowPool pool, int n, float[] out) {
    Ops.rmsNorm(a.x, 0, a.xb, 0, outputNorm, dim, n, hp.rmsEps);
    if (n == 1) {
      a.products.run(pool, a.xb, 0, output, out);
    } else {
      a.products.runTokens(pool, a.xb, n, output, out);
    }
    for (int t = 0; t < n; t++) {
      finishLogits(out, t * vocab, vocab);
    }
  }

  /** The logits of row {@code row} of the last pass, into {@code a.logits}. */
  final void logits(Activations a, RowPool pool, int row) {
    Ops.rmsNorm(a.x, row * dim, a.xb, 0, outputNorm, dim, 1, hp.rmsEps);
    a.products.run(pool, a.xb, 0, output, a.logits);
    finishLogits(a.logits, 0, vocab);
  }

  /** The logits of all {@code n} rows of the last pass, row after row into {@code out}. */
  final void allLogits(Activations a, RowPool pool, int n, float[] out) {
    Ops.rmsNorm(a.x, 0, a.xb, 0, outputNorm, dim, n, hp.rmsEps);
    output.matmul(a.xb, n, out, pool);
    finishLogits(out, 0, n * vocab);
  }

  private void finishLogits(float[] logits, int offset, int count) {
    if (hp.logitScale != 1.0f) {
      Ops.scale(logits, offset, count, hp.logitScale);
    }
    if (hp.finalSoftcap > 0.0f) {
      Ops.softcap(logits, offset, count, hp.finalSoftcap);
    }
  }

  /**
   * {@code out = m · x} for {@code n} tokens: one token's product in claimed chunks, a decode step's
   * token by token ({@code a.tokenwise}), a batch's as a matrix product.
   */
  static void product(Activations a, RowPool pool, WeightMatrix m, float[] x, int n, float[] out) {
    if (n == 1) {
      a.products.run(pool, x, 0, m, out);
    } else if (a.tokenwise) {
      a.products.runTokens(pool, x, n, m, out);
    } else {
      m.matmul(x, n, out, pool);
    }
  }

  /**
   * The mixture {@code e} over the {@code n} rows of {@code a.xb}, into {@code a.xb2}. In a decode
   * step of several sessions ({@code a.tokenwise}) token by token, through {@code a.single}:
   * together the tokens would share experts' batched products, which round differently from a lone
   * token's.
   */
  static void experts(Experts e, Activations a, RowPool pool, int n) {
    if (!a.tokenwise || n == 1) {
      e.run(a, pool, n);
      return;
    }
    Activations one = a.single;
    int dim = a.xb.length / a.batch;
    for (int t = 0; t < n; t++) {
      System.arraycopy(a.xb, t * dim, one.xb, 0, dim);
      e.run(one, pool, 1);
      System.arraycopy(one.xb2, 0, a.xb2, t * dim, dim);
    }
  }

  /**
   * Self-attention of layer {@code l} over the normalised batch in {@code a.xb}: projections,
   * RoPE, the batch's keys and values appended to the cache at {@code pos}, causal attention
   * (see {@link Attention}), and the output projection into {@code a.xb2}.
   */
  final void attention(Activations a, KvCache kv, RowPool pool, int l, int n, int pos) {
    int qDim = hp.qDim();
    int kvDim = hp.kvDim();
    if (wqkv[l] != null) {
      product(a, pool, wqkv[l], a.xb, n, a.qkv);
      int width = qDim + 2 * kvDim;
      for (int t = 0; t < n; t++) {
        System.arraycopy(a.qkv, t * width, a.q, t * qDim, qDim);
        System.arraycopy(a.qkv, t * width + qDim, a.k, t * kvDim, kvDim);
        System.arraycopy(a.qkv, t * width + qDim + kvDim, a.v, t * kvDim, kvDim);
      }
    } else if (n == 1) {
      a.products.run(pool, a.xb, wq[l], a.q, wk[l], a.k, wv[l], a.v);
    } else if (a.tokenwise) {
      a.products.runTokens(pool, a.xb, n, wq[l], a.q, wk[l], a.k, wv[l], a.v);
    } else {
      wq[l].matmul(a.xb, n, a.q, pool);
      wk[l].matmul(a.xb, n, a.k, pool);
      wv[l].matmul(a.xb, n, a.v, pool);
    }
    if (bq[l] != null) {
      Ops.addBias(a.q, bq[l], n);
    }
    if (bk[l] != null) {
      Ops.addBias(a.k, bk[l], n);
    }
    if (bv[l] != null) {
      Ops.addBias(a.v, bv[l], n);
    }
    if (qNorm[l] != null) {
      Ops.rmsNorm(a.q, 0, a.q, 0, qNorm[l], hp.headDim, n * hp.heads, hp.rmsEps);
    }
    if (kNorm[l] != null) {
      Ops.rmsNorm(a.k, 0, a.k, 0, kNorm[l], hp.headDim, n * hp.kvHeads, hp.rmsEps);
    }
    int half = rope.dims() / 2;
    boolean sliding = hp.slidingLayers[l];
    float[] cos = sliding && ropeSwa != rope ? a.cosSwa : a.cos;
    float[] sin = sliding && ropeSwa != rope ? a.sinSwa : a.sin;
    for (int t = 0; t < n; t++) {
      rope.rotate(a.q, t * qDim, hp.heads, hp.headDim, cos, sin, t * half);
      rope.rotate(a.k, t * kvDim, hp.kvHeads, hp.headDim, cos, sin, t * half);
    }
    if (a.caches != null) {
      for (int t = 0; t < n; t++) {
        a.caches[t].store(l, a.k, t * kvDim, a.v, t * kvDim, a.positions[t], 1);
      }
      a.attention.runDecode(pool, a, a.caches, a.positions, l, n, sliding ? hp.slidingWindow : 0, sinks[l]);
    } else {
      kv.store(l, a.k, 0, a.v, 0, pos, n);
      a.attention.run(pool, a, kv, l, pos, n, sliding ? hp.slidingWindow : 0, sinks[l]);
    }
    product(a, pool, wo[l], a.attn, n, a.xb2);
    if (bo[l] != null) {
      Ops.addBias(a.xb2, bo[l], n);
    }
  }
}

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
  final Rope rope;

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
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      attnNorm[l] = t.vector(b + "attn_norm.weight", dim);
      wq[l] = t.matrix(b + "attn_q.weight", dim, hp.qDim());
      wk[l] = t.matrix(b + "attn_k.weight", dim, hp.kvDim());
      wv[l] = t.matrix(b + "attn_v.weight", dim, hp.kvDim());
      wo[l] = t.matrix(b + "attn_output.weight", hp.qDim(), dim);
      bq[l] = t.optionalVector(b + "attn_q.bias", hp.qDim());
      bk[l] = t.optionalVector(b + "attn_k.bias", hp.kvDim());
      bv[l] = t.optionalVector(b + "attn_v.bias", hp.kvDim());
      bo[l] = t.optionalVector(b + "attn_output.bias", dim);
    }
    this.rope = Rope.of(hp, t.optionalVector("rope_freqs.weight", hp.ropeDims / 2));
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
    for (int t = 0; t < n; t++) {
      rope.angles(pos + t, a.cos, a.sin, t * half);
    }
    for (int l = 0; l < hp.layers; l++) {
      block(a, kv, pool, l, n, pos);
    }
  }

  /** The logits of row {@code row} of the last pass, into {@code a.logits}. */
  final void logits(Activations a, RowPool pool, int row) {
    Ops.rmsNorm(a.x, row * dim, a.xb, 0, outputNorm, dim, 1, hp.rmsEps);
    output.matvec(a.xb, 0, a.logits, 0, pool);
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
   * Self-attention of layer {@code l} over the normalised batch in {@code a.xb}: projections,
   * RoPE, the batch's keys and values appended to the cache at {@code pos}, causal attention per
   * (token, head) split over the pool, and the output projection into {@code a.xb2}.
   */
  final void attention(Activations a, KvCache kv, RowPool pool, int l, int n, int pos) {
    int qDim = hp.qDim();
    int kvDim = hp.kvDim();
    wq[l].matmul(a.xb, n, a.q, pool);
    wk[l].matmul(a.xb, n, a.k, pool);
    wv[l].matmul(a.xb, n, a.v, pool);
    if (bq[l] != null) {
      Ops.addBias(a.q, bq[l], n);
    }
    if (bk[l] != null) {
      Ops.addBias(a.k, bk[l], n);
    }
    if (bv[l] != null) {
      Ops.addBias(a.v, bv[l], n);
    }
    int half = rope.dims() / 2;
    for (int t = 0; t < n; t++) {
      rope.rotate(a.q, t * qDim, hp.heads, hp.headDim, a.cos, a.sin, t * half);
      rope.rotate(a.k, t * kvDim, hp.kvHeads, hp.headDim, a.cos, a.sin, t * half);
    }
    System.arraycopy(a.k, 0, kv.keys[l], pos * kvDim, n * kvDim);
    System.arraycopy(a.v, 0, kv.values[l], pos * kvDim, n * kvDim);
    AttentionTask task = a.attentionTask;
    task.bind(a, kv.keys[l], kv.values[l], pos);
    try {
      pool.forRange(n * hp.heads, task);
    } finally {
      task.unbind();
    }
    wo[l].matmul(a.attn, n, a.xb2, pool);
    if (bo[l] != null) {
      Ops.addBias(a.xb2, bo[l], n);
    }
  }

  /**
   * Attention of one (token, head) pair per index: scores against every cached position up to
   * the token's own (the causal mask), softmax, and the weighted sum of values. Reused by its
   * session for every pass, so a pass allocates nothing.
   */
  static final class AttentionTask implements RowPool.RangeTask {
    private final int heads;
    private final int headDim;
    private final int qDim;
    private final int kvDim;
    private final int group;
    private final float kqScale;
    private final float capScale;
    private final float cap;
    private Activations a;
    private float[] keys;
    private float[] values;
    private int pos;

    AttentionTask(Hyperparameters hp) {
      this.heads = hp.heads;
      this.headDim = hp.headDim;
      this.qDim = hp.qDim();
      this.kvDim = hp.kvDim();
      this.group = hp.groupSize();
      this.kqScale = hp.kqScale;
      this.cap = hp.attnSoftcap;
      this.capScale = hp.attnSoftcap > 0 ? hp.attnOutScale / hp.attnSoftcap : 0.0f;
    }

    void bind(Activations a, float[] keys, float[] values, int pos) {
      this.a = a;
      this.keys = keys;
      this.values = values;
      this.pos = pos;
    }

    void unbind() {
      this.a = null;
      this.keys = null;
      this.values = null;
    }

    @Override
    public void run(int start, int end, int worker) {
      float[] scores = a.scores[worker];
      float[] q = a.q;
      float[] out = a.attn;
      for (int idx = start; idx < end; idx++) {
        int t = idx / heads;
        int h = idx % heads;
        int kvOffset = (h / group) * headDim;
        int qOffset = t * qDim + h * headDim;
        int len = pos + t + 1;
        for (int j = 0; j < len; j++) {
          float d = Ops.dot(q, qOffset, keys, j * kvDim + kvOffset, headDim);
          scores[j] = cap > 0 ? (float) Math.tanh(d * capScale) * cap : d * kqScale;
        }
        Ops.softmax(scores, 0, len);
        for (int i = 0; i < headDim; i++) {
          out[qOffset + i] = 0.0f;
        }
        for (int j = 0; j < len; j++) {
          float w = scores[j];
          int vOffset = j * kvDim + kvOffset;
          for (int i = 0; i < headDim; i++) {
            out[qOffset + i] += w * values[vOffset + i];
          }
        }
      }
    }
  }
}

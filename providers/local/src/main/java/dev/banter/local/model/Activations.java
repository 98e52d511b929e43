package dev.banter.local.model;

/**
 * The working memory of one session's forward passes, sized once for a batch of up to
 * {@code batch} tokens so that no pass allocates: activations are token-major ({@code t · width +
 * i}). Each pool worker gets its own row of attention scores. Not thread-safe.
 */
final class Activations {
  final int batch;
  /** The residual stream, and two scratch rows of the model width. */
  final float[] x;
  final float[] xb;
  final float[] xb2;
  final float[] q;
  final float[] k;
  final float[] v;
  /** Attention output before the output projection. */
  final float[] attn;
  /** Feed-forward hidden rows (dense: gate and up; mixture: one expert's gate and up). */
  final float[] hb;
  final float[] hb2;
  final float[] cos;
  final float[] sin;
  /** The angles of sliding-window layers where their RoPE base differs (Gemma 3), else {@link #cos}/{@link #sin}. */
  final float[] cosSwa;
  final float[] sinSwa;
  /** Phi-3's fused q|k|v projection before it is split (null for separate projections). */
  final float[] qkv;
  /** Per pool worker, the scores of a group of query heads against every cached position. */
  final float[][] scores;
  /** The logits of the last token of a pass. */
  final float[] logits;

  /** Mixture of experts: router logits, chosen experts and weights per token and slot. */
  final float[] router;
  final int[] chosen;
  final float[] weights;
  /** The tokens (and their slots) gathered for the expert being run, and its input/output rows. */
  final int[] gatherToken;
  final int[] gatherSlot;
  final float[] expertIn;
  final float[] expertOut;
  /** Each token's weighted expert outputs, slot by slot, summed in slot order at the end. */
  final float[] slotOut;

  final Attention attention;
  final TokenProducts products = new TokenProducts();

  /**
   * Set during a decode step of several sessions ({@link SharedPass}): row {@code t} is the next
   * token of the session whose cache is {@code caches[t]}, at position {@code positions[t]}; null
   * during one session's pass.
   */
  KvCache[] caches;
  int[] positions;
  /**
   * Whether the products of a pass with {@link #caches} go token by token (a decode step, each
   * token as a one-token pass computes it) rather than as a batch's matrix products (several
   * sessions' prompt tokens).
   */
  boolean tokenwise;
  /** During such a step, one token's working memory, for what runs token by token (experts). */
  Activations single;

  Activations(Hyperparameters hp, int vocab, int batch, int capacity, int threads) {
    this.batch = batch;
    int dim = hp.dim;
    x = new float[batch * dim];
    xb = new float[batch * dim];
    xb2 = new float[batch * dim];
    q = new float[batch * hp.qDim()];
    k = new float[batch * hp.kvDim()];
    v = new float[batch * hp.kvDim()];
    attn = new float[batch * hp.qDim()];
    int hidden = hp.experts > 0 ? hp.expertFfn : hp.ffn;
    hb = new float[batch * hidden * (fused(hp) ? 2 : 1)];
    hb2 = new float[batch * hidden];
    cos = new float[batch * Math.max(1, hp.ropeDims / 2)];
    sin = new float[batch * Math.max(1, hp.ropeDims / 2)];
    boolean swaAngles = hp.slidingWindow > 0;
    cosSwa = swaAngles ? new float[cos.length] : cos;
    sinSwa = swaAngles ? new float[sin.length] : sin;
    qkv = fused(hp) ? new float[batch * (hp.qDim() + 2 * hp.kvDim())] : null;
    scores = new float[threads][Attention.scoresPerWorker(hp, capacity)];
    logits = new float[vocab];
    if (hp.experts > 0) {
      router = new float[batch * hp.experts];
      chosen = new int[batch * hp.expertsUsed];
      weights = new float[batch * hp.expertsUsed];
      gatherToken = new int[batch];
      gatherSlot = new int[batch];
      expertIn = new float[batch * dim];
      expertOut = new float[batch * dim];
      slotOut = new float[batch * hp.expertsUsed * dim];
    } else {
      router = null;
      chosen = null;
      weights = null;
      gatherToken = null;
      gatherSlot = null;
      expertIn = null;
      expertOut = null;
      slotOut = null;
    }
    attention = new Attention(hp);
  }

  /**
   * Whether the model may store q|k|v and gate|up as single matrices (Phi-3), whose products
   * need wider rows; the transformer binds fused matrices only where this holds.
   */
  static boolean fused(Hyperparameters hp) {
    return hp.architecture == Architecture.PHI3;
  }

  /** The bytes these buffers take (an estimate of the float arrays). */
  static long bytes(Hyperparameters hp, int vocab, int batch, int capacity, int threads) {
    long dim = hp.dim;
    long hidden = hp.experts > 0 ? hp.expertFfn : hp.ffn;
    long floats = batch * (3 * dim + 2L * hp.qDim() + 2L * hp.kvDim() + (fused(hp) ? 3 : 2) * hidden
        + (hp.slidingWindow > 0 ? 2 : 1) * (long) hp.ropeDims
        + (fused(hp) ? hp.qDim() + 2L * hp.kvDim() : 0))
        + (long) threads * Attention.scoresPerWorker(hp, capacity) + vocab;
    if (hp.experts > 0) {
      floats += batch * (hp.experts + 2L * hp.expertsUsed + 2 + 2 * dim + (long) hp.expertsUsed * dim);
    }
    return floats * Float.BYTES;
  }
}

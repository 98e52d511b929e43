package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;

/**
 * The decode step of several sessions of one model in one forward pass (see {@link
 * Session#decode}): their next tokens go through the layers together, so that each weight
 * product reads the weights once for all of them, while every token is computed exactly as its
 * session's own one-token {@link Session#append} computes it (the matrix-vector kernels per token,
 * see {@link dev.banter.local.tensor.WeightMatrix#matvecBatch}; attention against its own cache at
 * its own position; experts token by token). The logits are therefore bit for bit those of the
 * sessions stepping alone, and the batch is invisible in what they generate.
 *
 * <p>One per model, holding the working memory of the largest step so far (grown when a step has
 * more sessions or a longer context than any before). Thread-safe: steps take turns.
 */
final class DecodeBatch {
  private final Transformer transformer;
  private final RowPool pool;
  private Activations acts;
  private int capacity;
  private float[] logits;

  DecodeBatch(Transformer transformer, RowPool pool) {
    this.transformer = transformer;
    this.pool = pool;
  }

  /**
   * Runs token {@code tokens[t]} at position {@code positions[t]} of {@code caches[t]} for {@code t
   * < n}, storing its key and value there, and copies its logits into {@code out[t]}. The caller
   * has checked the arguments (distinct caches with room, tokens in the vocabulary).
   */
  synchronized void step(KvCache[] caches, int[] positions, int[] tokens, int n, float[][] out) {
    Activations a = workspace(caches, n);
    transformer.forwardDecode(a, caches, positions, pool, tokens, n);
    int vocab = transformer.vocab;
    transformer.decodeLogits(a, pool, n, logits);
    for (int t = 0; t < n; t++) {
      System.arraycopy(logits, t * vocab, out[t], 0, vocab);
    }
  }

  private Activations workspace(KvCache[] caches, int n) {
    int longest = 0;
    for (int t = 0; t < n; t++) {
      longest = Math.max(longest, caches[t].capacity);
    }
    if (acts == null || acts.batch < n || capacity < longest) {
      Hyperparameters hp = transformer.hp;
      int batch = Math.max(n, acts == null ? 0 : acts.batch);
      capacity = Math.max(longest, capacity);
      acts = null; // let the old buffers go before the new ones are allocated
      Activations a = new Activations(hp, transformer.vocab, batch, capacity, pool.threads());
      if (hp.experts > 0) {
        a.single = new Activations(hp, transformer.vocab, 1, 1, pool.threads());
      }
      logits = new float[batch * transformer.vocab];
      acts = a;
    }
    return acts;
  }
}

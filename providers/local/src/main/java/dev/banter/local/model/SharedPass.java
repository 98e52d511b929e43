package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;

/**
 * A forward pass shared by several sessions of one model, so that each weight product reads the
 * weights once for all of them. Two kinds: the decode step ({@link Session#decode}), whose tokens
 * are each computed exactly as their session's own one-token {@link Session#append} computes it
 * (the matrix-vector kernels per token, see {@link
 * dev.banter.local.tensor.WeightMatrix#matvecBatch}; attention against its own cache at its own
 * position; experts token by token); and runs of prompt tokens ({@link Session#appendRuns}), as
 * one batch's matrix products, each run as its session's own append of it computes it (a row of
 * a batched product does not depend on the batch). Either way the logits are bit for bit those of
 * the sessions running alone, and the sharing is invisible in what they generate.
 *
 * <p>A model has one for decode steps and one for prompts, so that the two kinds interleave
 * product by product on the model's threads; each holds the working memory of its largest pass
 * so far (grown when a pass has more tokens or a longer context than any before). Thread-safe:
 * passes of one kind take turns.
 */
final class SharedPass {
  private final Transformer transformer;
  private final RowPool pool;
  private Activations acts;
  private int capacity;
  private float[] logits;

  SharedPass(Transformer transformer, RowPool pool) {
    this.transformer = transformer;
    this.pool = pool;
  }

  /**
   * Runs token {@code tokens[t]} at position {@code positions[t]} of {@code caches[t]} for {@code t
   * < n}, storing its key and value there, and copies its logits into {@code out[t]}. The caller
   * has checked the arguments (distinct caches with room, tokens in the vocabulary).
   */
  synchronized void decode(KvCache[] caches, int[] positions, int[] tokens, int n, float[][] out) {
    Activations a = workspace(caches, n);
    transformer.forwardDecode(a, caches, positions, pool, tokens, n);
    int vocab = transformer.vocab;
    if (logits == null || logits.length < n * vocab) {
      logits = null; // let the old array go before the new one is allocated
      logits = new float[a.batch * vocab];
    }
    transformer.decodeLogits(a, pool, n, logits);
    for (int t = 0; t < n; t++) {
      System.arraycopy(logits, t * vocab, out[t], 0, vocab);
    }
  }

  /**
   * Runs token {@code tokens[t]} at position {@code positions[t]} of {@code caches[t]} for {@code t
   * < n} as one batch (a session's tokens consecutive, in order), storing keys and values there,
   * and for each {@code i} with {@code out[i]} not null writes the logits of row {@code rows[i]}
   * there, as a session's {@link Session#append} ending at that token computes them. The caller
   * has checked the arguments (each session's run of at least two tokens, with room, in the
   * vocabulary).
   */
  synchronized void prompts(KvCache[] caches, int[] positions, int[] tokens, int n, int[] rows, float[][] out) {
    Activations a = workspace(caches, n);
    transformer.forwardSessions(a, caches, positions, pool, tokens, n, false);
    for (int i = 0; i < rows.length; i++) {
      if (out[i] != null) {
        transformer.logits(a, pool, rows[i]);
        System.arraycopy(a.logits, 0, out[i], 0, transformer.vocab);
      }
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
      acts = a;
    }
    return acts;
  }
}

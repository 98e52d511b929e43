package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;

/**
 * One layer's mixture of experts, as llama.cpp's {@code build_moe_ffn} with softmax gating and
 * {@code norm_w = true}: a router picks each token's {@code k} most probable experts, their
 * probabilities are renormalised to sum to one (and optionally scaled), and the token's output is
 * the weighted sum of those experts' gated feed-forwards, GELU-gated (Grok-1) or SiLU-gated
 * (Qwen3-MoE). A batch runs expert by expert: the tokens routed to an expert are gathered and
 * multiplied together, so each expert's weights are read once per batch. Immutable; the working
 * rows live in the {@link Activations}.
 */
final class Experts {
  private final int dim;
  private final int experts;
  private final int used;
  private final int hidden;
  private final boolean gelu;
  private final float weightsScale;
  private final WeightMatrix router;
  private final WeightMatrix[] gate;
  private final WeightMatrix[] up;
  private final WeightMatrix[] down;

  /** Binds layer {@code b}'s ({@code "blk.N."}) router and stacked expert tensors. */
  Experts(Hyperparameters hp, Tensors t, String b, boolean gelu) {
    this.dim = hp.dim;
    this.experts = hp.experts;
    this.used = hp.expertsUsed;
    this.hidden = hp.expertFfn;
    this.gelu = gelu;
    this.weightsScale = hp.expertWeightsScale;
    this.router = t.matrix(b + "ffn_gate_inp.weight", dim, experts);
    this.gate = t.experts(b + "ffn_gate_exps.weight", dim, hidden, experts);
    this.up = t.experts(b + "ffn_up_exps.weight", dim, hidden, experts);
    this.down = t.experts(b + "ffn_down_exps.weight", hidden, dim, experts);
  }

  /** The mixture over the {@code n} normalised rows in {@code a.xb}, into {@code a.xb2}. */
  void run(Activations a, RowPool pool, int n) {
    int e = experts;
    int k = used;
    router.matmul(a.xb, n, a.router, pool);
    for (int t = 0; t < n; t++) {
      route(a, t, e, k);
    }
    for (int x = 0; x < e; x++) {
      int m = 0;
      for (int t = 0; t < n; t++) {
        for (int s = 0; s < k; s++) {
          if (a.chosen[t * k + s] == x) {
            a.gatherToken[m] = t;
            a.gatherSlot[m] = s;
            System.arraycopy(a.xb, t * dim, a.expertIn, m * dim, dim);
            m++;
          }
        }
      }
      if (m == 0) {
        continue;
      }
      // A lone token of a multi-token pass is run as two copies, so that it takes the batched
      // kernels as it would beside other tokens: a token's result must not depend on how the
      // prompt was cut into passes (see Session.passSize).
      int rows = m == 1 && n > 1 ? 2 : m;
      if (rows > m) {
        System.arraycopy(a.expertIn, 0, a.expertIn, dim, dim);
      }
      gate[x].matmul(a.expertIn, rows, a.hb, pool);
      up[x].matmul(a.expertIn, rows, a.hb2, pool);
      if (gelu) {
        Ops.geglu(a.hb, a.hb2, rows * hidden);
      } else {
        Ops.swigluRows(a.hb, a.hb2, rows, hidden);
      }
      down[x].matmul(a.hb, rows, a.expertOut, pool);
      for (int r = 0; r < m; r++) {
        int slot = a.gatherToken[r] * k + a.gatherSlot[r];
        float w = a.weights[slot];
        int src = r * dim;
        int dst = slot * dim;
        for (int i = 0; i < dim; i++) {
          a.slotOut[dst + i] = a.expertOut[src + i] * w;
        }
      }
    }
    for (int t = 0; t < n; t++) {
      int out = t * dim;
      int first = t * k * dim;
      System.arraycopy(a.slotOut, first, a.xb2, out, dim);
      for (int s = 1; s < k; s++) {
        int src = first + s * dim;
        for (int i = 0; i < dim; i++) {
          a.xb2[out + i] += a.slotOut[src + i];
        }
      }
    }
  }

  /**
   * Token {@code t}'s experts: softmax over the router logits, the {@code k} most probable in
   * descending order (ties to the lower index), their probabilities renormalised and optionally
   * scaled.
   */
  private void route(Activations a, int t, int e, int k) {
    int r = t * e;
    Ops.softmax(a.router, r, e);
    double sum = 0;
    for (int s = 0; s < k; s++) {
      int best = -1;
      float bestP = Float.NEGATIVE_INFINITY;
      for (int x = 0; x < e; x++) {
        float p = a.router[r + x];
        if (p > bestP && !taken(a.chosen, t * k, s, x)) {
          best = x;
          bestP = p;
        }
      }
      if (best < 0) {
        best = firstFree(a.chosen, t * k, s, e);
        bestP = a.router[r + best];
      }
      a.chosen[t * k + s] = best;
      a.weights[t * k + s] = bestP;
      sum += bestP;
    }
    float total = (float) sum;
    for (int s = 0; s < k; s++) {
      a.weights[t * k + s] = a.weights[t * k + s] / total;
      if (weightsScale != 0.0f && weightsScale != 1.0f) {
        a.weights[t * k + s] *= weightsScale;
      }
    }
  }

  private static boolean taken(int[] chosen, int from, int count, int expert) {
    for (int i = 0; i < count; i++) {
      if (chosen[from + i] == expert) {
        return true;
      }
    }
    return false;
  }

  private static int firstFree(int[] chosen, int from, int count, int experts) {
    for (int x = 0; x < experts; x++) {
      if (!taken(chosen, from, count, x)) {
        return x;
      }
    }
    return 0;
  }
}

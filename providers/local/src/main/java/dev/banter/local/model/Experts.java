package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;

/**
 * One layer's mixture of experts, as llama.cpp's {@code build_moe_ffn}: a router picks each
 * token's {@code k} experts and weighs them, and the token's output is the weighted sum of those
 * experts' gated feed-forwards. Grok-1 and Qwen3-MoE use softmax gating with {@code norm_w}: the
 * {@code k} most probable, their probabilities renormalised to sum to one (and optionally scaled),
 * GELU-gated (Grok) or SiLU-gated (Qwen3). gpt-oss ranks the biased router logits themselves,
 * weighs the chosen {@code k} by a softmax over their logits ({@code SOFTMAX_WEIGHT}), adds
 * biases to every expert product and gates with OpenAI's clamped SwiGLU. A batch runs expert by
 * expert: the tokens routed to an expert are gathered and multiplied together, so each expert's
 * weights are read once per batch. Immutable; the working rows live in the {@link Activations}.
 */
final class Experts {
  private final int dim;
  private final int experts;
  private final int used;
  private final int hidden;
  private final Activation activation;
  private final float weightsScale;
  private final WeightMatrix router;
  /** gpt-oss's biases (null elsewhere): router {@code [experts]}, gate/up {@code [experts][hidden]}, down {@code [experts][dim]}. */
  private final float[] routerBias;
  private final float[][] gateBias;
  private final float[][] upBias;
  private final float[][] downBias;
  private final WeightMatrix[] gate;
  private final WeightMatrix[] up;
  private final WeightMatrix[] down;

  /** How an expert gates its up projection. */
  enum Activation {
    /** Grok-1: {@code gelu(gate) · up}. */
    GELU,
    /** Qwen3-MoE: {@code silu(gate) · up}. */
    SILU,
    /** gpt-oss: {@code g · sigmoid(1.702 g) · (clamp(up, ±7) + 1)} with {@code g = min(gate, 7)}. */
    SWIGLU_OAI
  }

  private static final float OAI_ALPHA = 1.702f;
  private static final float OAI_LIMIT = 7.0f;

  /** Binds layer {@code b}'s ({@code "blk.N."}) router and stacked expert tensors. */
  Experts(Hyperparameters hp, Tensors t, String b, Activation activation) {
    this.dim = hp.dim;
    this.experts = hp.experts;
    this.used = hp.expertsUsed;
    this.hidden = hp.expertFfn;
    this.activation = activation;
    this.weightsScale = hp.expertWeightsScale;
    this.router = t.matrix(b + "ffn_gate_inp.weight", dim, experts);
    this.gate = t.experts(b + "ffn_gate_exps.weight", dim, hidden, experts);
    this.up = t.experts(b + "ffn_up_exps.weight", dim, hidden, experts);
    this.down = t.experts(b + "ffn_down_exps.weight", hidden, dim, experts);
    this.routerBias = t.optionalVector(b + "ffn_gate_inp.bias", experts);
    this.gateBias = t.optionalRows(b + "ffn_gate_exps.bias", hidden, experts);
    this.upBias = t.optionalRows(b + "ffn_up_exps.bias", hidden, experts);
    this.downBias = t.optionalRows(b + "ffn_down_exps.bias", dim, experts);
  }

  /** The mixture over the {@code n} normalised rows in {@code a.xb}, into {@code a.xb2}. */
  void run(Activations a, RowPool pool, int n) {
    int e = experts;
    int k = used;
    router.matmul(a.xb, n, a.router, pool);
    if (routerBias != null) {
      Ops.addBias(a.router, routerBias, n);
    }
    for (int t = 0; t < n; t++) {
      if (activation == Activation.SWIGLU_OAI) {
        routeByLogits(a, t, e, k);
      } else {
        route(a, t, e, k);
      }
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
      if (gateBias != null) {
        Ops.addBias(a.hb, gateBias[x], rows);
      }
      if (upBias != null) {
        Ops.addBias(a.hb2, upBias[x], rows);
      }
      switch (activation) {
        case GELU -> Ops.geglu(a.hb, a.hb2, rows * hidden);
        case SILU -> Ops.swigluRows(a.hb, a.hb2, rows, hidden);
        case SWIGLU_OAI -> swigluOai(a.hb, a.hb2, rows * hidden);
      }
      down[x].matmul(a.hb, rows, a.expertOut, pool);
      if (downBias != null) {
        Ops.addBias(a.expertOut, downBias[x], rows);
      }
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

  /**
   * gpt-oss's routing: the {@code k} largest router logits in descending order (ties to the lower
   * index), weighted by a softmax over those {@code k} logits.
   */
  private void routeByLogits(Activations a, int t, int e, int k) {
    int r = t * e;
    for (int s = 0; s < k; s++) {
      int best = -1;
      float bestLogit = Float.NEGATIVE_INFINITY;
      for (int x = 0; x < e; x++) {
        float v = a.router[r + x];
        if ((best < 0 || v > bestLogit) && !taken(a.chosen, t * k, s, x)) {
          best = x;
          bestLogit = v;
        }
      }
      a.chosen[t * k + s] = best;
      a.weights[t * k + s] = bestLogit;
    }
    Ops.softmax(a.weights, t * k, k);
    if (weightsScale != 0.0f && weightsScale != 1.0f) {
      for (int s = 0; s < k; s++) {
        a.weights[t * k + s] *= weightsScale;
      }
    }
  }

  /** OpenAI's clamped SwiGLU (ggml's {@code swiglu_oai}, alpha 1.702, limit 7) into {@code gate}. */
  static void swigluOai(float[] gate, float[] up, int n) {
    for (int i = 0; i < n; i++) {
      float x = Math.min(gate[i], OAI_LIMIT);
      float y = Math.max(-OAI_LIMIT, Math.min(up[i], OAI_LIMIT));
      gate[i] = x / (1.0f + (float) Math.exp(OAI_ALPHA * -x)) * (y + 1.0f);
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

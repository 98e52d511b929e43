package dev.banter.local.model;

import dev.banter.api.ModelLoadException;
import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;

/**
 * The Grok-1 graph as llama.cpp builds it ({@code llm_build_grok}): embeddings scaled by the
 * embedding scale; attention whose q·k is multiplied by the attention output scale and
 * soft-capped at {@code cap · tanh(s / cap)}; a norm on the attention output and another on the
 * feed-forward output before each joins the residual stream; a mixture of GELU-gated experts
 * chosen per token by a softmax router (the top {@code k} probabilities renormalised to sum to
 * one, llama.cpp's {@code norm_w = true}); logits multiplied by the logit scale.
 *
 * <pre>
 * x += rmsnorm(Wo · attention(...)) · attn_output_norm
 * x += rmsnorm(Σ_k w_k · Wdown_k · (gelu(Wgate_k·m) ⊙ Wup_k·m)) · layer_output_norm
 * </pre>
 *
 * <p>A batch runs expert by expert: the tokens routed to an expert are gathered and multiplied
 * together, so each expert's weights are read once per batch.
 */
final class GrokTransformer extends Transformer {
  private final float[][] attnOutNorm;
  private final float[][] ffnNorm;
  private final float[][] ffnPostNorm;
  private final WeightMatrix[] router;
  private final WeightMatrix[][] gate;
  private final WeightMatrix[][] up;
  private final WeightMatrix[][] down;

  GrokTransformer(Hyperparameters hp, Tensors t) {
    super(hp, t);
    int layers = hp.layers;
    int e = hp.experts;
    attnOutNorm = new float[layers][];
    ffnNorm = new float[layers][];
    ffnPostNorm = new float[layers][];
    router = new WeightMatrix[layers];
    gate = new WeightMatrix[layers][];
    up = new WeightMatrix[layers][];
    down = new WeightMatrix[layers][];
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      if (t.has(b + "ffn_up.weight")) {
        throw new ModelLoadException(t.source() + ": tensor '" + b + "ffn_up.weight' is a dense feed-forward "
            + "next to the experts (Grok-2); this engine runs Grok-1's experts-only layers", t.source(), -1);
      }
      attnOutNorm[l] = t.vector(b + "attn_output_norm.weight", dim);
      ffnNorm[l] = t.vector(b + "ffn_norm.weight", dim);
      ffnPostNorm[l] = t.has(b + "layer_output_norm.weight")
          ? t.vector(b + "layer_output_norm.weight", dim)
          : t.vector(b + "post_ffw_norm.weight", dim);
      router[l] = t.matrix(b + "ffn_gate_inp.weight", dim, e);
      gate[l] = t.experts(b + "ffn_gate_exps.weight", dim, hp.expertFfn, e);
      up[l] = t.experts(b + "ffn_up_exps.weight", dim, hp.expertFfn, e);
      down[l] = t.experts(b + "ffn_down_exps.weight", hp.expertFfn, dim, e);
    }
  }

  @Override
  void block(Activations a, KvCache kv, RowPool pool, int l, int n, int pos) {
    float eps = hp.rmsEps;
    Ops.rmsNorm(a.x, 0, a.xb, 0, attnNorm[l], dim, n, eps);
    attention(a, kv, pool, l, n, pos);
    Ops.rmsNorm(a.xb2, 0, a.xb2, 0, attnOutNorm[l], dim, n, eps);
    Ops.add(a.x, a.xb2, n * dim);

    Ops.rmsNorm(a.x, 0, a.xb, 0, ffnNorm[l], dim, n, eps);
    experts(a, pool, l, n);
    Ops.rmsNorm(a.xb2, 0, a.xb2, 0, ffnPostNorm[l], dim, n, eps);
    Ops.add(a.x, a.xb2, n * dim);
  }

  /** The mixture of experts over {@code a.xb}, into {@code a.xb2}. */
  private void experts(Activations a, RowPool pool, int l, int n) {
    int e = hp.experts;
    int k = hp.expertsUsed;
    int hidden = hp.expertFfn;
    router[l].matmul(a.xb, n, a.router, pool);
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
      gate[l][x].matmul(a.expertIn, rows, a.hb, pool);
      up[l][x].matmul(a.expertIn, rows, a.hb2, pool);
      Ops.geglu(a.hb, a.hb2, rows * hidden);
      down[l][x].matmul(a.hb, rows, a.expertOut, pool);
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
      if (hp.expertWeightsScale != 0.0f && hp.expertWeightsScale != 1.0f) {
        a.weights[t * k + s] *= hp.expertWeightsScale;
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

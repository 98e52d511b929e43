package dev.banter.local.model;

import dev.banter.api.ModelLoadException;
import dev.banter.local.tensor.RowPool;

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
 */
final class GrokTransformer extends Transformer {
  private final float[][] attnOutNorm;
  private final float[][] ffnNorm;
  private final float[][] ffnPostNorm;
  private final Experts[] experts;

  GrokTransformer(Hyperparameters hp, Tensors t) {
    super(hp, t);
    int layers = hp.layers;
    attnOutNorm = new float[layers][];
    ffnNorm = new float[layers][];
    ffnPostNorm = new float[layers][];
    experts = new Experts[layers];
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
      experts[l] = new Experts(hp, t, b, Experts.Activation.GELU);
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
    experts(experts[l], a, pool, n);
    Ops.rmsNorm(a.xb2, 0, a.xb2, 0, ffnPostNorm[l], dim, n, eps);
    Ops.add(a.x, a.xb2, n * dim);
  }
}

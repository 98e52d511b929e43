package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;

/**
 * The Gemma 3 text graph as llama.cpp builds it ({@code llm_build_gemma3}): embeddings scaled by
 * √dim; attention with per-head RMS norms on q and k, queries scaled by the head size's inverse
 * square root, and on five of every six layers a sliding window with its own RoPE base; an RMS norm
 * on the attention output and on the feed-forward output before each joins the residual stream;
 * a GELU-gated feed-forward. The norm weights are stored with Gemma's {@code 1 +} already added by
 * the converter, so they are used as any other.
 *
 * <pre>
 * x += rmsnorm(Wo · attention(...)) · post_attention_norm
 * x += rmsnorm(Wdown · (gelu(Wgate·m) ⊙ Wup·m)) · post_ffw_norm      m = rmsnorm(x) · ffn_norm
 * </pre>
 */
final class GemmaTransformer extends Transformer {
  private final float[][] attnPostNorm;
  private final float[][] ffnNorm;
  private final float[][] ffnPostNorm;
  private final WeightMatrix[] gate;
  private final WeightMatrix[] up;
  private final WeightMatrix[] down;

  GemmaTransformer(Hyperparameters hp, Tensors t) {
    super(hp, t);
    int layers = hp.layers;
    attnPostNorm = new float[layers][];
    ffnNorm = new float[layers][];
    ffnPostNorm = new float[layers][];
    gate = new WeightMatrix[layers];
    up = new WeightMatrix[layers];
    down = new WeightMatrix[layers];
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      attnPostNorm[l] = t.vector(b + "post_attention_norm.weight", dim);
      ffnNorm[l] = t.vector(b + "ffn_norm.weight", dim);
      ffnPostNorm[l] = t.vector(b + "post_ffw_norm.weight", dim);
      gate[l] = t.matrix(b + "ffn_gate.weight", dim, hp.ffn);
      up[l] = t.matrix(b + "ffn_up.weight", dim, hp.ffn);
      down[l] = t.matrix(b + "ffn_down.weight", hp.ffn, dim);
    }
  }

  @Override
  void block(Activations a, KvCache kv, RowPool pool, int l, int n, int pos) {
    float eps = hp.rmsEps;
    Ops.rmsNorm(a.x, 0, a.xb, 0, attnNorm[l], dim, n, eps);
    attention(a, kv, pool, l, n, pos);
    Ops.rmsNorm(a.xb2, 0, a.xb2, 0, attnPostNorm[l], dim, n, eps);
    Ops.add(a.x, a.xb2, n * dim);

    Ops.rmsNorm(a.x, 0, a.xb, 0, ffnNorm[l], dim, n, eps);
    if (n == 1) {
      a.products.run(pool, a.xb, gate[l], a.hb, up[l], a.hb2);
    } else if (a.tokenwise) {
      a.products.runTokens(pool, a.xb, n, gate[l], a.hb, up[l], a.hb2);
    } else {
      gate[l].matmul(a.xb, n, a.hb, pool);
      up[l].matmul(a.xb, n, a.hb2, pool);
    }
    Ops.geglu(a.hb, a.hb2, n * hp.ffn);
    product(a, pool, down[l], a.hb, n, a.xb2);
    Ops.rmsNorm(a.xb2, 0, a.xb2, 0, ffnPostNorm[l], dim, n, eps);
    Ops.add(a.x, a.xb2, n * dim);
  }
}

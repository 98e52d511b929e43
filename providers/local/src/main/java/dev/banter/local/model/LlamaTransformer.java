package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;

/**
 * The llama graph (llama.cpp's {@code llm_build_llama} / {@code llm_build_qwen2}): pre-norm
 * attention and a SwiGLU feed-forward, each added to the residual stream. Qwen2 runs the same
 * graph; what sets it apart is data: q/k/v biases, NEOX RoPE and a large RoPE base, all bound
 * from the file.
 *
 * <pre>
 * x += Wo · attention(rope(Wq·n), rope(Wk·n), Wv·n)      n = rmsnorm(x) · attn_norm
 * x += Wdown · (silu(Wgate·m) ⊙ Wup·m)                  m = rmsnorm(x) · ffn_norm
 * </pre>
 */
final class LlamaTransformer extends Transformer {
  private final float[][] ffnNorm;
  private final WeightMatrix[] gate;
  private final WeightMatrix[] up;
  private final WeightMatrix[] down;

  LlamaTransformer(Hyperparameters hp, Tensors t) {
    super(hp, t);
    int layers = hp.layers;
    ffnNorm = new float[layers][];
    gate = new WeightMatrix[layers];
    up = new WeightMatrix[layers];
    down = new WeightMatrix[layers];
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      ffnNorm[l] = t.vector(b + "ffn_norm.weight", dim);
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
    Ops.add(a.x, a.xb2, n * dim);

    Ops.rmsNorm(a.x, 0, a.xb, 0, ffnNorm[l], dim, n, eps);
    gate[l].matmul(a.xb, n, a.hb, pool);
    up[l].matmul(a.xb, n, a.hb2, pool);
    Ops.swiglu(a.hb, a.hb2, n * hp.ffn);
    down[l].matmul(a.hb, n, a.xb2, pool);
    Ops.add(a.x, a.xb2, n * dim);
  }
}

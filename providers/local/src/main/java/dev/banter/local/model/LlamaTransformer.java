package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import dev.banter.local.tensor.WeightMatrix;

/**
 * The llama graph (llama.cpp's {@code llm_build_llama}, {@code _qwen2}, {@code _qwen3},
 * {@code _qwen3moe}, {@code _granite}, {@code _phi3}, {@code _openai_moe}): pre-norm attention and a SwiGLU
 * feed-forward, each added to the residual stream. The families differ only in data bound from
 * the file: q/k/v biases (Qwen2), per-head q/k norms (Qwen3), NEOX or partial RoPE, fused q|k|v
 * and gate|up matrices (Phi-3), residual, attention and logit multipliers (Granite), a mixture of
 * SiLU experts in place of the dense feed-forward (Qwen3-MoE); gpt-oss adds attention sinks,
 * alternating sliding-window layers, biases and its own experts (see {@link Experts}).
 *
 * <pre>
 * x += s · Wo · attention(rope(Wq·n), rope(Wk·n), Wv·n)      n = rmsnorm(x) · attn_norm
 * x += s · Wdown · (silu(Wgate·m) ⊙ Wup·m)                  m = rmsnorm(x) · ffn_norm
 * </pre>
 */
final class LlamaTransformer extends Transformer {
  private final float[][] ffnNorm;
  private final WeightMatrix[] gate;
  private final WeightMatrix[] up;
  private final WeightMatrix[] down;
  /** Phi-3: gate and up as one matrix of {@code 2 · ffn} rows, gate first (null otherwise). */
  private final WeightMatrix[] gateUp;
  private final Experts[] experts;

  LlamaTransformer(Hyperparameters hp, Tensors t) {
    super(hp, t);
    int layers = hp.layers;
    ffnNorm = new float[layers][];
    gate = new WeightMatrix[layers];
    up = new WeightMatrix[layers];
    down = new WeightMatrix[layers];
    gateUp = new WeightMatrix[layers];
    experts = new Experts[layers];
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      if (hp.architecture == Architecture.GPT_OSS) {
        ffnNorm[l] = t.vector(b + "post_attention_norm.weight", dim);
        experts[l] = new Experts(hp, t, b, Experts.Activation.SWIGLU_OAI);
        continue;
      }
      ffnNorm[l] = t.vector(b + "ffn_norm.weight", dim);
      if (hp.architecture.mixtureOfExperts()) {
        experts[l] = new Experts(hp, t, b, Experts.Activation.SILU);
        continue;
      }
      if (Activations.fused(hp) && !t.has(b + "ffn_gate.weight")) {
        gateUp[l] = t.matrix(b + "ffn_up.weight", dim, 2 * hp.ffn);
      } else {
        gate[l] = t.matrix(b + "ffn_gate.weight", dim, hp.ffn);
        up[l] = t.matrix(b + "ffn_up.weight", dim, hp.ffn);
      }
      down[l] = t.matrix(b + "ffn_down.weight", hp.ffn, dim);
    }
  }

  @Override
  void block(Activations a, KvCache kv, RowPool pool, int l, int n, int pos) {
    float eps = hp.rmsEps;
    Ops.rmsNorm(a.x, 0, a.xb, 0, attnNorm[l], dim, n, eps);
    attention(a, kv, pool, l, n, pos);
    residual(a, n);

    Ops.rmsNorm(a.x, 0, a.xb, 0, ffnNorm[l], dim, n, eps);
    if (experts[l] != null) {
      experts(experts[l], a, pool, n);
    } else {
      feedForward(a, pool, l, n);
    }
    residual(a, n);
  }

  private void feedForward(Activations a, RowPool pool, int l, int n) {
    int ffn = hp.ffn;
    if (gateUp[l] != null) {
      product(a, pool, gateUp[l], a.xb, n, a.hb);
      for (int t = 0; t < n; t++) {
        System.arraycopy(a.hb, t * 2 * ffn + ffn, a.hb2, t * ffn, ffn);
        System.arraycopy(a.hb, t * 2 * ffn, a.hb, t * ffn, ffn);
      }
    } else if (n == 1) {
      a.products.run(pool, a.xb, gate[l], a.hb, up[l], a.hb2);
    } else if (a.tokenwise) {
      a.products.runTokens(pool, a.xb, n, gate[l], a.hb, up[l], a.hb2);
    } else {
      gate[l].matmul(a.xb, n, a.hb, pool);
      up[l].matmul(a.xb, n, a.hb2, pool);
    }
    Ops.swigluRows(a.hb, a.hb2, n, ffn);
    product(a, pool, down[l], a.hb, n, a.xb2);
  }

  /** {@code x += s · xb2}, Granite's residual multiplier {@code s} or 1. */
  private void residual(Activations a, int n) {
    if (hp.residualScale != 0.0f) {
      Ops.scale(a.xb2, 0, n * dim, hp.residualScale);
    }
    Ops.add(a.x, a.xb2, n * dim);
  }
}

package dev.banter.local.model;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufMetadata;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The numbers that shape a transformer, read once from GGUF metadata under the architecture's
 * prefix ({@code llama.embedding_length}, {@code grok.expert_count} ...), with llama.cpp's defaults
 * where a key is optional. Checked for consistency here; the tensors' shapes are checked against
 * these numbers when the weights are bound.
 */
final class Hyperparameters {
  /** Grok-1's constants, llama.cpp's defaults for Grok files that do not carry them. */
  static final float GROK_EMBEDDING_SCALE = 78.38367176906169f;
  static final float GROK_LOGIT_SCALE = 0.5773502691896257f;
  static final float GROK_ATTN_OUT_SCALE = 0.08838834764831845f;
  static final float GROK_ATTN_SOFTCAP = 30.0f;

  final Architecture architecture;
  final String file;
  final int dim;
  final int layers;
  final int heads;
  final int kvHeads;
  final int headDim;
  final int ffn;
  final int trainContext;
  final float rmsEps;

  final int ropeDims;
  final float ropeBase;
  final RopeScaling ropeScaling;
  /** {@code 1 / scaling factor}; 1 without scaling. */
  final float ropeFreqScale;
  final int ropeOriginalContext;
  final float yarnExtFactor;
  final float yarnAttnFactor;
  final float yarnBetaFast;
  final float yarnBetaSlow;

  /** Multiplier of q·k before the softmax (llama: 1/sqrt(headDim) unless the file says otherwise). */
  final float kqScale;
  /** Grok: q·k is multiplied by this, soft-capped at {@link #attnSoftcap}, and not scaled again. */
  final float attnOutScale;
  final float attnSoftcap;
  /** 0 when the embeddings are used as stored. */
  final float embeddingScale;
  /** 1 when the logits are used as computed. */
  final float logitScale;
  /** 0 when the logits are not soft-capped. */
  final float finalSoftcap;

  /** Granite: the attention and feed-forward outputs are multiplied by this before joining the residual; 0 when not. */
  final float residualScale;
  /** Sliding-window attention: positions a local layer sees (its own included); 0 without. */
  final int slidingWindow;
  /** Per layer, whether it attends within {@link #slidingWindow} only. */
  final boolean[] slidingLayers;
  /** The RoPE base and frequency scale of the sliding-window layers. */
  final float ropeBaseSwa;
  final float ropeFreqScaleSwa;

  final int experts;
  final int expertsUsed;
  final int expertFfn;
  /** 0 (or 1) when the routing weights are used as normalised. */
  final float expertWeightsScale;

  /** How the rotary angles are stretched for contexts beyond the trained one. */
  enum RopeScaling {
    NONE, LINEAR, YARN,
    /** Phi-3's LongRoPE: per-pair factors from the file's {@code rope_factors_long/short} tensors. */
    LONGROPE
  }

  Hyperparameters(Architecture architecture, GgufMetadata md, String file) {
    this.architecture = architecture;
    this.file = file;
    String p = architecture.id() + ".";
    this.dim = positive(md, p + "embedding_length", required(md, p + "embedding_length"));
    this.layers = positive(md, p + "block_count", required(md, p + "block_count"));
    this.heads = positive(md, p + "attention.head_count", required(md, p + "attention.head_count"));
    this.kvHeads = positive(md, p + "attention.head_count_kv", count(md, p + "attention.head_count_kv", heads));
    if (dim % heads != 0 && !md.contains(p + "attention.key_length")) {
      throw md.invalid(p + "attention.head_count", "= " + heads + " does not divide the embedding length "
          + dim + " and no attention.key_length is given");
    }
    this.headDim = positive(md, p + "attention.key_length", count(md, p + "attention.key_length", dim / heads));
    int valueLength = count(md, p + "attention.value_length", headDim);
    if (valueLength != headDim) {
      throw md.invalid(p + "attention.value_length", "= " + valueLength + " differs from attention.key_length "
          + headDim + "; this engine needs keys and values of one length");
    }
    if (heads % kvHeads != 0) {
      throw md.invalid(p + "attention.head_count_kv", "= " + kvHeads + " does not divide the " + heads
          + " attention heads");
    }
    this.ffn = positive(md, p + "feed_forward_length", required(md, p + "feed_forward_length"));
    this.trainContext = positive(md, p + "context_length", required(md, p + "context_length"));
    this.rmsEps = (float) requiredDouble(md, p + "attention.layer_norm_rms_epsilon");
    if (!(rmsEps >= 0 && rmsEps < 1)) {
      throw md.invalid(p + "attention.layer_norm_rms_epsilon", "= " + rmsEps + " is outside [0, 1)");
    }

    this.ropeDims = count(md, p + "rope.dimension_count", headDim);
    if (ropeDims > headDim || ropeDims % 2 != 0) {
      throw md.invalid(p + "rope.dimension_count", "= " + ropeDims + " must be even and at most the head size "
          + headDim);
    }
    this.ropeBase = (float) doubleOr(md, p + "rope.freq_base", 10000.0);
    if (!(ropeBase > 1)) {
      throw md.invalid(p + "rope.freq_base", "= " + ropeBase + " must be greater than 1");
    }
    OptionalDouble factor = md.getDouble(p + "rope.scaling.factor");
    if (!factor.isPresent()) {
      factor = md.getDouble(p + "rope.scale_linear");
    }
    double f = factor.isPresent() ? factor.getAsDouble() : 0.0;
    if (f < 0 || Double.isNaN(f) || Double.isInfinite(f)) {
      throw md.invalid(p + "rope.scaling.factor", "= " + f + " must be a positive number");
    }
    String scaling = md.getString(p + "rope.scaling.type").orElse("linear").toLowerCase(Locale.ROOT);
    this.ropeScaling = switch (scaling) {
      case "none" -> RopeScaling.NONE;
      case "linear" -> RopeScaling.LINEAR;
      case "yarn" -> RopeScaling.YARN;
      case "longrope" -> RopeScaling.LONGROPE;
      default -> throw md.invalid(p + "rope.scaling.type", "= '" + scaling
          + "' is not supported; this engine supports none, linear, yarn and longrope");
    };
    this.ropeFreqScale = f == 0.0 || ropeScaling == RopeScaling.NONE ? 1.0f : (float) (1.0 / f);
    this.ropeOriginalContext = count(md, p + "rope.scaling.original_context_length", trainContext);

    boolean gemma = architecture == Architecture.GEMMA3;
    if ((gemma || architecture == Architecture.GPT_OSS) && count(md, p + "attention.sliding_window", 0) > 0) {
      // llama.cpp's set_swa_pattern: of every `period` layers all but the last slide (Gemma 3: 6, gpt-oss: 2).
      this.slidingWindow = count(md, p + "attention.sliding_window", 0);
      int period = count(md, p + "attention.sliding_window_pattern", gemma ? 6 : 2);
      this.slidingLayers = new boolean[layers];
      for (int l = 0; l < layers; l++) {
        slidingLayers[l] = period == 0 || l % period < period - 1;
      }
      this.ropeBaseSwa = (float) doubleOr(md, p + "rope.freq_base_swa", gemma ? 10000.0 : ropeBase);
      this.ropeFreqScaleSwa = gemma ? 1.0f : ropeFreqScale;
    } else {
      this.slidingWindow = 0;
      this.slidingLayers = new boolean[layers];
      this.ropeBaseSwa = ropeBase;
      this.ropeFreqScaleSwa = ropeFreqScale;
    }
    if (!(ropeBaseSwa > 1)) {
      throw md.invalid(p + "rope.freq_base_swa", "= " + ropeBaseSwa + " must be greater than 1");
    }

    this.experts = count(md, p + "expert_count", 0);
    this.expertsUsed = count(md, p + "expert_used_count", 0);
    this.expertFfn = count(md, p + "expert_feed_forward_length", ffn);

    if (architecture == Architecture.GROK) {
      // llama.cpp's defaults for Grok files converted before these keys existed.
      this.yarnBetaFast = (float) doubleOr(md, p + "rope.scaling.yarn_beta_fast", 8.0);
      this.embeddingScale = (float) doubleOr(md, p + "embedding_scale", GROK_EMBEDDING_SCALE);
      this.logitScale = (float) doubleOr(md, p + "logit_scale", GROK_LOGIT_SCALE);
      this.attnOutScale = (float) doubleOr(md, p + "attention.output_scale", GROK_ATTN_OUT_SCALE);
      this.attnSoftcap = (float) doubleOr(md, p + "attn_logit_softcapping", GROK_ATTN_SOFTCAP);
      this.finalSoftcap = (float) doubleOr(md, p + "final_logit_softcapping", 0.0);
      this.expertWeightsScale = (float) doubleOr(md, p + "expert_weights_scale", 0.0);
      this.kqScale = 1.0f;
      if (experts < 1 || expertsUsed < 1 || expertsUsed > experts || experts > 1024) {
        throw md.invalid(p + "expert_used_count", "= " + expertsUsed + " with expert_count " + experts
            + ": a Grok model needs 1 <= expert_used_count <= expert_count <= 1024");
      }
      if (!(attnSoftcap > 0)) {
        throw md.invalid(p + "attn_logit_softcapping", "= " + attnSoftcap + " must be positive for Grok");
      }
    } else {
      this.yarnBetaFast = (float) doubleOr(md, p + "rope.scaling.yarn_beta_fast", 32.0);
      this.embeddingScale = architecture == Architecture.GEMMA3
          ? (float) Math.sqrt(dim) : (float) doubleOr(md, p + "embedding_scale", 0.0);
      if (architecture == Architecture.GRANITE) {
        double logit = requiredDouble(md, p + "logit_scale");
        if (!(logit > 0) || Double.isInfinite(logit)) {
          throw md.invalid(p + "logit_scale", "= " + logit + " must be a positive number");
        }
        this.logitScale = (float) (1.0 / logit);
      } else {
        this.logitScale = 1.0f;
      }
      this.attnOutScale = 0.0f;
      this.attnSoftcap = 0.0f;
      this.finalSoftcap = architecture == Architecture.GEMMA3
          ? (float) doubleOr(md, p + "final_logit_softcapping", 0.0) : 0.0f;
      this.expertWeightsScale = (float) doubleOr(md, p + "expert_weights_scale", 0.0);
      double attentionScale = doubleOr(md, p + "attention.scale", 0.0);
      if (architecture == Architecture.GEMMA3) {
        // Gemma scales queries by query_pre_attn_scalar^-1/2: the head size, or dim/heads for the 27B (62 layers).
        this.kqScale = 1.0f / (float) Math.sqrt(layers == 62 ? (float) (dim / heads) : (float) headDim);
      } else {
        this.kqScale = attentionScale == 0.0 ? 1.0f / (float) Math.sqrt(headDim) : (float) attentionScale;
      }
      if (architecture.mixtureOfExperts()) {
        if (experts < 1 || expertsUsed < 1 || expertsUsed > experts || experts > 1024) {
          throw md.invalid(p + "expert_used_count", "= " + expertsUsed + " with expert_count " + experts
              + ": a mixture-of-experts model needs 1 <= expert_used_count <= expert_count <= 1024");
        }
      } else if (experts > 0) {
        throw md.invalid(p + "expert_count", "= " + experts + ": mixture-of-experts " + architecture.id()
            + " models (such as Mixtral) are not supported; this engine runs dense " + architecture.id()
            + " models and Grok's mixture of experts");
      }
    }
    this.yarnBetaSlow = (float) doubleOr(md, p + "rope.scaling.yarn_beta_slow", 1.0);
    this.yarnAttnFactor = (float) (doubleOr(md, p + "rope.scaling.yarn_attn_factor", 1.0)
        * doubleOr(md, p + "rope.scaling.attn_factor", 1.0));
    this.residualScale = architecture == Architecture.GRANITE
        ? (float) doubleOr(md, p + "residual_scale", 0.0) : 0.0f;
    this.yarnExtFactor = ropeScaling == RopeScaling.YARN
        ? (float) doubleOr(md, p + "rope.scaling.yarn_ext_factor", 1.0) : 0.0f;
  }

  int qDim() {
    return heads * headDim;
  }

  int kvDim() {
    return kvHeads * headDim;
  }

  /** Query heads per key/value head (grouped-query attention). */
  int groupSize() {
    return heads / kvHeads;
  }

  private static int required(GgufMetadata md, String key) {
    OptionalInt v = md.getCount(key);
    if (!v.isPresent()) {
      throw new ModelLoadException(md.source() + ": metadata key '" + key + "' is missing; the file was "
          + "converted incompletely or for another architecture", md.source(), -1);
    }
    return v.getAsInt();
  }

  private static double requiredDouble(GgufMetadata md, String key) {
    OptionalDouble v = md.getDouble(key);
    if (!v.isPresent()) {
      throw new ModelLoadException(md.source() + ": metadata key '" + key + "' is missing; the file was "
          + "converted incompletely or for another architecture", md.source(), -1);
    }
    return v.getAsDouble();
  }

  private static int count(GgufMetadata md, String key, int defaultValue) {
    OptionalInt v = md.getCount(key);
    return v.isPresent() ? v.getAsInt() : defaultValue;
  }

  private static int positive(GgufMetadata md, String key, int value) {
    if (value < 1) {
      throw md.invalid(key, "= " + value + " must be at least 1");
    }
    return value;
  }

  private static double doubleOr(GgufMetadata md, String key, double defaultValue) {
    OptionalDouble v = md.getDouble(key);
    if (!v.isPresent()) {
      return defaultValue;
    }
    double d = v.getAsDouble();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw md.invalid(key, "= " + d + " is not a finite number");
    }
    return d;
  }

  @Override
  public String toString() {
    return architecture.id() + "[dim " + dim + ", " + layers + " layers, " + heads + "/" + kvHeads + " heads of "
        + headDim + ", ffn " + ffn + (experts > 0 ? ", " + expertsUsed + " of " + experts + " experts" : "")
        + ", context " + trainContext + ", rope " + ropeDims + " dims base " + ropeBase + "]";
  }
}

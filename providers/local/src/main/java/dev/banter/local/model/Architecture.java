package dev.banter.local.model;

import dev.banter.api.ModelLoadException;

/**
 * The model families this engine runs, by their GGUF {@code general.architecture} name, with the
 * one fact that tells their graphs apart before any tensor is read: how RoPE pairs a head's
 * values (llama.cpp's {@code llama_model_rope_type}).
 */
enum Architecture {
  /** Llama 2/3, Mistral, TinyLlama, SmolLM: RoPE on adjacent pairs, SwiGLU. */
  LLAMA("llama", false),
  /** Qwen2 / Qwen2.5: as llama with q/k/v biases and RoPE on halves. */
  QWEN2("qwen2", true),
  /** Qwen3 dense: as qwen2 without biases, with a per-head RMS norm on q and k. */
  QWEN3("qwen3", true),
  /** Qwen3 mixture of experts (Qwen3-30B-A3B): qwen3's attention, SiLU experts, normalised routing. */
  QWEN3MOE("qwen3moe", true),
  /** Gemma 3 text models: scaled embeddings, GELU, post-norms, q/k norms, sliding-window layers. */
  GEMMA3("gemma3", true),
  /** Phi-3 / Phi-4-mini: fused qkv and gate|up, partial rotary, long/short RoPE factors. */
  PHI3("phi3", true),
  /** Granite 3.x: the llama graph with embedding, residual, attention and logit multipliers. */
  GRANITE("granite", false),
  /** gpt-oss: attention sinks, alternating sliding windows, YaRN, biases, MXFP4 experts with a clamped SwiGLU. */
  GPT_OSS("gpt-oss", true),
  /** Grok-1: mixture of GELU experts, soft-capped attention, scaled embeddings and logits. */
  GROK("grok", true);

  private final String id;
  private final boolean neoxRope;

  Architecture(String id, boolean neoxRope) {
    this.id = id;
    this.neoxRope = neoxRope;
  }

  /** Whether the feed-forward is a mixture of experts. */
  boolean mixtureOfExperts() {
    return this == GROK || this == QWEN3MOE || this == GPT_OSS;
  }

  /** The name used in GGUF metadata and as the prefix of the architecture's keys. */
  String id() {
    return id;
  }

  /** Whether RoPE rotates pairs {@code (i, i + dims/2)} (NEOX) rather than {@code (2i, 2i + 1)}. */
  boolean neoxRope() {
    return neoxRope;
  }

  /**
   * The architecture named {@code id}.
   *
   * @throws ModelLoadException naming the file and listing the supported architectures
   */
  static Architecture of(String id, String file) {
    for (Architecture a : values()) {
      if (a.id.equals(id)) {
        return a;
      }
    }
    throw new ModelLoadException(file + ": architecture '" + id + "' is not supported; this engine runs "
        + supported() + ". Use a model of one of these architectures.", file, -1);
  }

  static String supported() {
    StringBuilder sb = new StringBuilder();
    for (Architecture a : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(a.id);
    }
    return sb.toString();
  }

  /** Binds this architecture's graph to the weights of a file. */
  Transformer bind(Hyperparameters hp, Tensors tensors) {
    return switch (this) {
      case GROK -> new GrokTransformer(hp, tensors);
      case LLAMA, QWEN2, QWEN3, QWEN3MOE, GRANITE, PHI3, GPT_OSS -> new LlamaTransformer(hp, tensors);
      case GEMMA3 -> new GemmaTransformer(hp, tensors);
    };
  }
}

package dev.banter.local.tokenizer;

import java.util.HashMap;
import java.util.Map;

/**
 * The byte-level BPE pre-tokenizer families, and what each {@code tokenizer.ggml.pre} name
 * selects, with the vocabulary defaults llama.cpp ties to the name (whether the detokenizer cleans
 * up spaces, whether whole words found in the vocabulary skip the merges, whether BOS is added).
 */
enum PreType {
  DEFAULT, LLAMA3, DEEPSEEK_LLM, DEEPSEEK3_LLM, DEEPSEEK_CODER, FALCON, STARCODER, GPT2, QWEN2, PORO,
  VIKING, TEKKEN, CHAMELEON, GPT4O, BAILINGMOE, SEED_CODER, SUPERBPE;

  /** What one {@code tokenizer.ggml.pre} name means. */
  record Settings(PreType type, boolean cleanSpaces, boolean ignoreMerges, boolean addBos, boolean noBos) {}

  private static final Map<String, Settings> NAMES = new HashMap<>();

  private static void name(PreType type, boolean cleanSpaces, String... names) {
    for (String n : names) {
      NAMES.put(n, new Settings(type, cleanSpaces, false, false, false));
    }
  }

  static {
    name(DEFAULT, true, "default");
    for (String n : new String[] {"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"}) {
      NAMES.put(n, new Settings(LLAMA3, true, true, true, false));
    }
    name(DEEPSEEK_LLM, false, "deepseek-llm");
    name(DEEPSEEK_CODER, false, "deepseek-coder");
    name(DEEPSEEK3_LLM, false, "deepseek-v3", "hunyuan-dense");
    name(FALCON, true, "falcon");
    name(GPT2, true, "mpt", "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
        "a.x-4.0", "mellum", "jina-v1-en", "jina-v2-code", "roberta-bpe", "olmo", "jais", "exaone4");
    name(GPT2, false, "trillion", "granite-docling");
    name(STARCODER, true, "starcoder", "refact", "codeshell", "exaone", "minerva-7b");
    name(STARCODER, false, "command-r", "smollm");
    name(QWEN2, false, "qwen2", "deepseek-r1-qwen", "kormo", "hunyuan", "grok-2");
    name(QWEN2, true, "stablelm2", "megrez");
    name(LLAMA3, true, "dbrx", "smaug-bpe");
    name(PORO, false, "poro-chat");
    name(PORO, true, "bloom", "gpt3-finnish");
    NAMES.put("glm4", new Settings(LLAMA3, true, false, false, true));
    NAMES.put("chatglm-bpe", new Settings(LLAMA3, true, false, false, true));
    name(VIKING, false, "viking");
    NAMES.put("tekken", new Settings(TEKKEN, false, true, true, false));
    NAMES.put("chameleon", new Settings(CHAMELEON, false, false, true, false));
    name(GPT4O, false, "gpt-4o", "llama4", "minimax-m2");
    name(SUPERBPE, false, "superbpe");
    name(BAILINGMOE, false, "bailingmoe", "bailingmoe2", "llada-moe");
    name(SEED_CODER, false, "seed-coder");
  }

  /** Names llama.cpp handles with code of its own that this tokenizer does not reproduce. */
  static boolean unsupported(String name) {
    return "kimi-k2".equals(name) || "afmoe".equals(name);
  }

  /** The settings for {@code name}, or {@code null} when the name is not known (llama.cpp then uses "default"). */
  static Settings of(String name) {
    return NAMES.get(name);
  }

  static Settings fallback() {
    return NAMES.get("default");
  }
}

package dev.banter.local;

import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Setting;
import java.util.List;

/**
 * The {@code local} backend: runs a GGUF model (llama, qwen2 or grok architecture) inside the JVM.
 * Found by {@link java.util.ServiceLoader}; stateless and thread-safe.
 *
 * <pre>{@code
 * ChatModel model = Banter.builder().backend("local")
 *     .set("model", "/models/tinyllama-1.1b-chat-q4_k_m.gguf")
 *     .set("threads", "4")
 *     .persona("witty").build();
 * }</pre>
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code model} (required): the GGUF file;
 *   <li>{@code threads}: threads sharing each matrix product (default: available processors);
 *   <li>{@code context}: tokens per conversation, prompt and answer (default: the model's trained
 *       context length, at most 4096);
 *   <li>{@code slots}: conversations answered at once, each with its own KV cache of
 *       {@code context} tokens allocated on first use (default 4); a slot keeps its cache so
 *       that the next turn of the same chat only evaluates the new tokens;
 *   <li>{@code batch}: prompt tokens evaluated per pass (default 64; larger passes run faster, a
 *       cancel waits for the pass under way);
 *   <li>{@code queue}: requests that may wait for a slot before new ones are refused as busy
 *       (default 64);
 *   <li>{@code prompt-cache}: a directory where the keys and values of system prompts (a persona's) are
 *       saved, so that a later process restores them instead of evaluating them again (default:
 *       none); {@code prompt-cache-size}: the most MiB it may hold (default 1024);
 *   <li>{@code warm-up}: run the model briefly at start, so that the first request does not wait
 *       for the JIT to compile the kernels (default false);
 *   <li>{@code stall-limit}: how long an answer waits for a reader who takes nothing (a stream
 *       dropped unread, an iterator left without closing it) before it is cancelled and its slot
 *       freed (default 60s).
 * </ul>
 * Capabilities: streaming, exact token counts (the model's own template and tokenizer), seeds,
 * stop sequences, JSON object and JSON Schema answers (and GBNF grammars) enforced while decoding,
 * tool calls in the template family's syntax ({@code required} and named tools enforced),
 * reasoning apart from the answer, and log probabilities.
 */
public final class LocalBackendProvider implements BackendProvider {
  static final String ID = "local";
  private static final List<Setting> SETTINGS = List.of(
      Setting.of("model", "the GGUF model file (required)"),
      Setting.of("threads", "threads sharing each matrix product (default: available processors)"),
      Setting.of("context", "tokens per conversation, prompt and answer (default: the model's trained context, at most 4096)"),
      Setting.of("slots", "conversations answered at once, each with its own KV cache (default 4)"),
      Setting.of("batch", "prompt tokens evaluated per pass (default 64)"),
      Setting.of("queue", "requests that may wait for a slot before new ones are refused as busy (default 64)"),
      Setting.of("prompt-cache", "a directory where the keys and values of system prompts are saved, so that a later"
          + " process restores them instead of evaluating them again (default: none)"),
      Setting.of("prompt-cache-size", "the most MiB the prompt-cache directory may hold; the oldest files go first"
          + " (default 1024)"),
      Setting.of("warm-up", "run the model briefly when the backend starts, so the first request does not wait for"
          + " the JIT (default false; banter serve turns it on)"),
      Setting.of("stall-limit", "how long an answer waits for a reader who takes nothing before it is cancelled and"
          + " its slot freed (default 60s)"));

  /** The provider {@link java.util.ServiceLoader} instantiates. */
  public LocalBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String description() {
    return "GGUF models (llama, qwen2, grok) run inside the JVM";
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  /**
   * @throws dev.banter.api.ConfigurationException if {@code model} is missing or a setting is out of range
   * @throws dev.banter.api.ModelLoadException if the model file cannot be loaded (the message names it)
   */
  @Override
  public Backend create(BackendConfig config) {
    return new LocalBackend(config);
  }
}

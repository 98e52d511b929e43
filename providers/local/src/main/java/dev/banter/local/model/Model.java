package dev.banter.local.model;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufMetadata;
import dev.banter.local.tensor.RowPool;
import dev.banter.local.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A GGUF model ready to run: its architecture's graph bound to the memory-mapped weights, its
 * tokenizer, and a {@link RowPool} that splits matrix rows over threads. Load once and share:
 * the weights are read-only, and each {@link Session} (one per concurrent sequence) owns its KV
 * cache and working memory. Thread-safe; sessions' matrix products take turns on the pool.
 *
 * <pre>{@code
 * try (Model model = Model.load(Paths.get("tinyllama-q4_k_m.gguf"), 4)) {
 *   int[] prompt = model.tokenizer().encode("Once upon a time", true, false);
 *   Session s = model.newSession(2048, 32);
 *   float[] logits = s.append(prompt, 0, prompt.length);
 * }
 * }</pre>
 *
 * <p>Architectures: {@code llama} (Llama 2/3, Mistral, TinyLlama, SmolLM), {@code qwen2},
 * {@code grok}. Weight types: F32, F16, BF16, Q8_0, Q4_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K,
 * IQ4_XS.
 */
public final class Model implements AutoCloseable {
  private final GgufFile file;
  private final Hyperparameters hp;
  private final Transformer transformer;
  private final Tokenizer tokenizer;
  private final RowPool pool;
  private final String name;
  private final SharedPass decodePass;
  private final SharedPass promptPass;

  private Model(GgufFile file, Hyperparameters hp, Transformer transformer, Tokenizer tokenizer, RowPool pool) {
    this.file = file;
    this.hp = hp;
    this.transformer = transformer;
    this.tokenizer = tokenizer;
    this.pool = pool;
    this.decodePass = new SharedPass(transformer, pool);
    this.promptPass = new SharedPass(transformer, pool);
    Path fileName = file.path().getFileName();
    this.name = fileName == null ? file.path().toString() : fileName.toString();
  }

  /**
   * Opens a GGUF file and binds its weights; matrix products use {@code threads} threads.
   *
   * @throws ModelLoadException naming the file when it is unreadable or malformed, its
   *     architecture or a tensor type is not supported (the message lists what is), or its
   *     weights do not match its metadata
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static Model load(Path path, int threads) {
    Objects.requireNonNull(path, "path");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    GgufFile file = GgufFile.open(path);
    RowPool pool = null;
    try {
      GgufMetadata md = file.metadata();
      String source = path.toString();
      String arch = md.architecture().orElseThrow(() -> new ModelLoadException(source
          + ": metadata key 'general.architecture' is missing; this is not a model file (a vocabulary-only "
          + "file?)", source, -1));
      Architecture architecture = Architecture.of(arch, source);
      Hyperparameters hp = new Hyperparameters(architecture, md, source);
      // Checked before any per-layer array exists: a hostile block_count must not exhaust the heap.
      if (hp.layers > file.tensors().size()) {
        throw md.invalid(arch + ".block_count", "= " + hp.layers + " layers, but the file holds only "
            + file.tensors().size() + " tensors, and every layer needs several");
      }
      Tokenizer tokenizer = Tokenizer.from(file);
      Transformer transformer = architecture.bind(hp, new Tensors(file));
      if (transformer.vocab != tokenizer.vocabSize() || transformer.output.rows() != transformer.vocab) {
        throw new ModelLoadException(source + ": the vocabulary has " + tokenizer.vocabSize()
            + " tokens but the embedding has " + transformer.vocab + " rows and the output "
            + transformer.output.rows() + "; the file is inconsistent", source, -1);
      }
      pool = new RowPool(threads);
      return new Model(file, hp, transformer, tokenizer, pool);
    } catch (RuntimeException | Error e) {
      if (pool != null) {
        pool.close();
      }
      file.close();
      throw e;
    }
  }

  /** The architecture name from the file: {@code llama}, {@code qwen2} or {@code grok}. */
  public String architecture() {
    return hp.architecture.id();
  }

  /** The file name, e.g. {@code tinyllama-1.1b-chat-q4_k_m.gguf}. */
  public String name() {
    return name;
  }

  public Path path() {
    return file.path();
  }

  public GgufMetadata metadata() {
    return file.metadata();
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The context length the model was trained with ({@code <arch>.context_length}). */
  public int trainedContextLength() {
    return hp.trainContext;
  }

  /** The number of logits per position. */
  public int vocabSize() {
    return transformer.vocab;
  }

  /** The number of threads sharing each matrix product. */
  public int threads() {
    return pool.threads();
  }

  /**
   * The memory a session of {@code capacity} tokens and batches of {@code batch} takes, in bytes
   * (KV cache and working memory).
   *
   * @throws IllegalArgumentException if such a session cannot be made (see {@link #newSession})
   */
  public long sessionBytes(int capacity, int batch) {
    checkSession(capacity, batch);
    return KvCache.bytes(hp.layers, capacity, hp.kvDim())
        + Activations.bytes(hp, transformer.vocab, batch, capacity, pool.threads())
        + 4L * capacity;
  }

  /**
   * A new sequence holding up to {@code capacity} tokens, evaluating up to {@code batch} per pass.
   * Allocates its whole KV cache now (see {@link #sessionBytes}).
   *
   * @throws IllegalArgumentException if {@code capacity} or {@code batch} is below 1, or the cache
   *     would exceed the largest Java array
   */
  public Session newSession(int capacity, int batch) {
    checkSession(capacity, batch);
    return new Session(this, transformer, pool, capacity, Math.min(batch, capacity));
  }

  /** The working memory of decode steps of several sessions ({@link Session#decode}). */
  SharedPass decodePass() {
    return decodePass;
  }

  /** The working memory of several sessions' prompt runs in one pass ({@link Session#appendRuns}). */
  SharedPass promptPass() {
    return promptPass;
  }

  private void checkSession(int capacity, int batch) {
    if (capacity < 1 || batch < 1) {
      throw new IllegalArgumentException("a session needs capacity >= 1 and batch >= 1, got " + capacity + " and "
          + batch);
    }
    long widest = Math.max(Math.max(hp.ffn, hp.expertFfn),
        Math.max(hp.qDim(), hp.dim * (long) Math.max(1, hp.expertsUsed)));
    long limit = Integer.MAX_VALUE - 8;
    if ((long) capacity * hp.kvDim() > limit || Math.min(batch, capacity) * widest > limit) {
      throw new IllegalArgumentException("a context of " + capacity + " tokens (batch " + batch
          + ") needs arrays larger than Java allows for this model's layer size; use a smaller context or batch");
    }
  }

  /** Stops the row threads and releases the file. Sessions must not be used afterwards. */
  @Override
  public void close() {
    pool.close();
    file.close();
  }

  @Override
  public String toString() {
    return "Model[" + name + ", " + hp + "]";
  }
}

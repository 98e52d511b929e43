package dev.banter.local;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ConfigurationException;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.ResponseFormat;
import dev.banter.api.Role;
import dev.banter.api.ToolChoice;
import dev.banter.local.chat.ChatFormat;
import dev.banter.local.chat.ToolCallFamily;
import dev.banter.local.grammar.Grammar;
import dev.banter.local.grammar.GrammarException;
import dev.banter.local.model.Model;
import dev.banter.local.model.Session;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendLoad;
import dev.banter.spi.Capability;
import dev.banter.spi.ChatStreamEmitter;
import dev.banter.spi.LoadReporting;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The {@code local} backend: one GGUF model loaded once and shared, answering on threads of its
 * own. Each request renders the model's chat template, is checked against the context, then
 * waits in a bounded FIFO queue for one of {@code slots} generation threads; that thread takes
 * the KV-cache slot that already holds the longest prefix of the prompt, evaluates the rest in
 * batches and streams the answer. Matrix work of all running answers shares one row pool of
 * {@code threads} threads. Thread-safe.
 */
final class LocalBackend implements Backend, LoadReporting {
  /** Any JSON object, compiled once: the grammar is immutable and shared by all generations. */
  private static final Grammar JSON_OBJECT = Grammar.jsonObject();

  private static final Logger LOG = Logger.getLogger(LocalBackend.class.getName());
  /**
   * Prompt tokens per pass: each weight block is read once per pass, so larger passes run faster
   * (bench-1b, one thread: 48, 56, 60 and 62 tokens/s for 16, 32, 64 and 128), while a cancel
   * waits for the pass under way.
   */
  static final int DEFAULT_BATCH = 64;

  private final Model model;
  private final ChatPrompt prompt;
  private final int context;
  private final Slots slots;
  /** Gathers the decode steps of concurrent answers into shared forward passes. */
  private final DecodeBatcher batcher;
  private final PrefillBatcher prefills;
  /** Saved prompt prefixes, or null when the 'prompt-cache' setting is unset. */
  private final PromptCache promptCache;
  private final ThreadPoolExecutor executor;
  private final BackendCapabilities capabilities;
  private final List<ModelInfo> models;
  private final AtomicLong evaluated = new AtomicLong();
  private final Set<Generation> running = Collections.newSetFromMap(new ConcurrentHashMap<Generation, Boolean>());
  private final Object closeLock = new Object();
  /** How long an answer waits for a consumer that reads nothing before it is cancelled. */
  private final Duration stallLimit;
  private volatile boolean closed;

  LocalBackend(BackendConfig config) {
    Path path = Paths.get(config.require("model"));
    int threads = bounded(config, "threads", Runtime.getRuntime().availableProcessors(), 1, 512);
    int slotCount = bounded(config, "slots", 4, 1, 256);
    int queue = bounded(config, "queue", 64, 1, 1 << 16);
    this.stallLimit = config.getDuration("stall-limit", ChatStreamEmitter.DEFAULT_STALL_LIMIT);
    if (stallLimit.isZero()) {
      throw new ConfigurationException("Backend 'local': setting 'stall-limit' must be longer than 0.", "backend local",
          "stall-limit", null);
    }
    this.model = Model.load(path, threads);
    try {
      this.context = bounded(config, "context", Math.min(model.trainedContextLength(), 4096), 2, 1 << 22);
      int batch = bounded(config, "batch", DEFAULT_BATCH, 1, 4096);
      if (context > model.trainedContextLength()) {
        LOG.warning("context " + context + " exceeds the " + model.trainedContextLength() + " tokens " + model.name()
            + " was trained with; answers may degrade beyond that");
      }
      long perSlot;
      try {
        perSlot = model.sessionBytes(context, batch);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("Backend 'local': " + e.getMessage() + ".", "backend local", "context", e);
      }
      long heap = Runtime.getRuntime().maxMemory();
      if (perSlot > heap) {
        throw new ConfigurationException("Backend 'local': a KV cache for a context of " + context + " tokens needs "
            + (perSlot >> 20) + " MiB, more than the JVM's maximum heap of " + (heap >> 20) + " MiB. Lower the "
            + "'context' setting or raise -Xmx.", "backend local", "context", null);
      }
      this.prompt = ChatPrompt.of(model);
      this.slots = new Slots(slotCount, () -> model.newSession(context, batch));
      this.batcher = new DecodeBatcher(slotCount);
      this.prefills = new PrefillBatcher(slotCount);
      boolean warm = config.getBoolean("warm-up", false);
      if (warm) {
        warmUp(model, batch);
      }
      int cacheMib = bounded(config, "prompt-cache-size", 1024, 1, 1 << 20);
      this.promptCache = config.getPath("prompt-cache")
          .map(dir -> PromptCache.open(dir, model, context, (long) cacheMib << 20)).orElse(null);
      if (warm && promptCache != null) {
        preload(slots, promptCache);
      }
      this.executor = new ThreadPoolExecutor(slotCount, slotCount, 30, TimeUnit.SECONDS,
          new ArrayBlockingQueue<Runnable>(queue, true), new Daemons());
      this.executor.allowCoreThreadTimeOut(true);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    this.capabilities = BackendCapabilities.of(context, Capability.STREAMING, Capability.EXACT_TOKEN_COUNT,
        Capability.SEED, Capability.STOP_SEQUENCES, Capability.JSON_OBJECT, Capability.JSON_SCHEMA,
        Capability.LOGPROBS, Capability.TOOLS, Capability.REASONING);
    List<ModelInfo> list = new ArrayList<>();
    list.add(ModelInfo.of(model.name(), "local", context));
    this.models = Collections.unmodifiableList(list);
  }

  /**
   * Runs prompt passes and decode steps on a throwaway session, so that the JIT has compiled the
   * kernels before the first request: otherwise that request pays seconds of interpreted code.
   * The prompt passes take every remainder of tokens modulo four, so that no branch a request
   * takes was unseen when the kernels were compiled: one unseen branch (29 tokens after a restored
   * prompt cache) threw a compiled kernel away and made the first request twice as slow.
   */
  private static void warmUp(Model model, int batch) {
    long start = System.nanoTime();
    String line = "The quick brown fox jumps over the lazy dog, and the witty robot laughs. ";
    int[] text = model.tokenizer().encode(line + line + line + line, true, false);
    int n = Math.min(text.length, 48);
    int passBatch = Math.max(2, Math.min(batch, 16));
    Session s = model.newSession(n + 32, passBatch);
    Session other = model.newSession(n + 32, passBatch);
    float[][] logits = {new float[model.vocabSize()], new float[model.vocabSize()]};
    for (int round = 0; round < 4; round++) {
      int prompt = n - 16 - round;
      s.truncate(0);
      s.append(text, 0, prompt);
      other.truncate(0);
      other.append(text, 0, 8 + round);
      // Decode steps as requests take them: through the shared pass, alone and two at a time.
      for (int i = prompt; i < n; i++) {
        if (i % 2 == 0) {
          Session.decode(new Session[] {s}, new int[] {text[i]}, new float[][] {logits[0]});
        } else {
          Session.decode(new Session[] {s, other}, new int[] {text[i], text[i]}, logits);
        }
      }
    }
    LOG.fine(() -> "warmed up " + model.name() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  /**
   * Restores the newest saved prefixes into idle slots, one each, so that the first request after
   * a start finds its persona's prompt in memory as a later one would; without this, it paid for
   * reading the file and allocating its KV cache (a third longer to its first token).
   */
  private static void preload(Slots slots, PromptCache cache) {
    for (int[] prefix : cache.newest(slots.size())) {
      Slots.Slot slot;
      try {
        slot = slots.acquire(prefix);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        if (slot.session().commonPrefix(prefix) == 0) {
          cache.restore(slot.session(), prefix);
        }
      } finally {
        slots.release(slot);
      }
    }
  }

  private static int bounded(BackendConfig config, String key, int defaultValue, int min, int max) {
    int v = config.getInt(key, defaultValue);
    if (v < min || v > max) {
      throw new ConfigurationException("Backend 'local': setting '" + key + "' must be between " + min + " and " + max
          + ", got " + v + ".", "backend local", key, null);
    }
    return v;
  }

  @Override
  public String id() {
    return LocalBackendProvider.ID;
  }

  @Override
  public BackendCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return stream(request).await();
  }

  /**
   * @throws ContextLengthExceededException if the prompt does not leave room for one generated token
   * @throws InvalidRequestException if the template rejects the conversation, or the response
   *     format's JSON schema or grammar cannot be enforced (the message names the part at fault)
   * @throws BackendUnavailableException if the backend is closed or its queue is full
   */
  @Override
  public ChatStream stream(ChatRequest request) {
    long start = System.nanoTime();
    ensureOpen();
    ChatFormat format = prompt.format();
    ToolCalling tools = ToolCalling.plan(format, model.tokenizer(), request.messages(), request.tools(),
        request.toolChoice().orElse(ToolChoice.auto()), request.options().thinking().orElse(true));
    Grammar grammar = tools.grammar() != null ? tools.grammar() : constraint(request.responseFormat());
    // A constrained answer starts with what the grammar allows, so a template's thinking is off.
    boolean thinking = tools.thinking() && grammar == null;
    String text = prompt.render(tools.messages(), tools.renderedTools(), thinking);
    int[] tokens = prompt.encode(text);
    if (tokens.length == 0) {
      throw new InvalidRequestException("The conversation renders to an empty prompt; add a message with text.",
          id(), "messages", null);
    }
    if (tokens.length >= context) {
      throw new ContextLengthExceededException("The prompt has " + tokens.length + " tokens but the context holds "
          + context + " (and needs room for at least one generated token). Shorten the conversation, or raise the "
          + "'context' setting (" + model.name() + " was trained with " + model.trainedContextLength() + ").",
          id(), tokens.length, context, null);
    }
    ChatStreamEmitter out = ChatStreamEmitter.create(id(), model.name(), System::nanoTime,
        ChatStreamEmitter.DEFAULT_HIGH_WATER_MARK, stallLimit);
    try {
      boolean parse = tools.parseCalls() || format.thinks() || format.family() == ToolCallFamily.GPT_OSS;
      executor.execute(new Generation(this, out, tokens, cachedPrefix(request, tools, thinking, tokens), request.options(),
          start, grammar, parse ? format.parser(text, request.parallelToolCalls().orElse(true)) : null));
    } catch (RejectedExecutionException e) {
      ensureOpen();
      throw new BackendUnavailableException("The local backend is busy: every slot is generating and the queue of "
          + executor.getQueue().size() + " waiting requests is full. Retry later, or raise the 'slots' or 'queue' "
          + "setting.", id(), e);
    }
    return out.handle();
  }

  /**
   * How many leading tokens of the prompt are worth saving in the prompt cache: those of the
   * request's {@link ChatRequest#cacheablePrefix() cacheable prefix} (a persona's prompt and
   * examples) or, when it names none, of its leading system messages — with the tools, as the
   * template renders them. 0 without a cache or such messages.
   */
  private int cachedPrefix(ChatRequest request, ToolCalling tools, boolean thinking, int[] tokens) {
    if (promptCache == null) {
      return 0;
    }
    List<Message> messages = tools.messages();
    int system = 0;
    while (system < messages.size() && messages.get(system).role() == Role.SYSTEM) {
      system++;
    }
    // The generic tool form may have put a system message in front of the request's messages.
    int count = request.cacheablePrefix() > 0
        ? Math.min(messages.size(), request.cacheablePrefix() + messages.size() - request.messages().size())
        : system;
    int n = commonPrefix(messages.subList(0, count), tools, thinking, tokens);
    return n > 0 || count == system ? n : commonPrefix(messages.subList(0, system), tools, thinking, tokens);
  }

  /** The length of the prompt's prefix that {@code head}, rendered alone, shares with it. */
  private int commonPrefix(List<Message> head, ToolCalling tools, boolean thinking, int[] tokens) {
    if (head.isEmpty()) {
      return 0;
    }
    try {
      int[] alone = prompt.tokens(head, tools.renderedTools(), thinking);
      int n = Math.min(alone.length, tokens.length);
      int i = 0;
      while (i < n && alone[i] == tokens[i]) {
        i++;
      }
      return i;
    } catch (RuntimeException e) {
      // A template that refuses a conversation that ends there: nothing is saved from it.
      return 0;
    }
  }

  DecodeBatcher batcher() {
    return batcher;
  }

  PrefillBatcher prefills() {
    return prefills;
  }

  /** The saved prompt prefixes, or null when none are kept. */
  PromptCache promptCache() {
    return promptCache;
  }

  /**
   * The grammar that enforces a response format, or null for free text. JSON object and schema
   * modes and GBNF grammars are all enforced while decoding (see {@link Generation}).
   */
  private Grammar constraint(ResponseFormat format) {
    try {
      return switch (format.type()) {
        case TEXT -> null;
        case JSON_OBJECT -> JSON_OBJECT;
        case JSON_SCHEMA -> Grammar.fromJsonSchema(format.schema().orElse("{}"));
        case GRAMMAR -> Grammar.parse(format.grammar().orElse(""));
      };
    } catch (GrammarException e) {
      String what = format.type() == ResponseFormat.Type.GRAMMAR ? "grammar" : "JSON schema";
      throw new InvalidRequestException("The response format's " + what + " cannot be enforced: " + e.getMessage(),
          id(), "responseFormat", e);
    } catch (StackOverflowError e) {
      // Rules that refer to one another thousands deep; the compiler walks them recursively.
      throw new InvalidRequestException("The response format's grammar nests its rules too deeply to compile; "
          + "flatten it", id(), "responseFormat", null);
    }
  }

  @Override
  public OptionalInt countTokens(List<Message> messages) {
    ensureOpen();
    return OptionalInt.of(prompt.tokens(messages, Collections.emptyList()).length);
  }

  @Override
  public List<ModelInfo> models() {
    return models;
  }

  /**
   * Stops taking requests, fails the queued ones, cancels the running ones (they end at their
   * next token and complete as cancelled, with their partial usage), then releases the model.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    executor.shutdown();
    List<Runnable> queued = new ArrayList<>();
    executor.getQueue().drainTo(queued);
    for (Runnable r : queued) {
      ((Generation) r).emitter().fail(closedBeforeStart());
    }
    for (Generation g : running) {
      g.emitter().cancel();
    }
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    slots.clear();
    model.close();
  }

  // ---- for generations and tests

  /** The failure of a request the backend was closed before it started. */
  static BackendUnavailableException closedBeforeStart() {
    return new BackendUnavailableException("The local backend was closed before this request started; create a "
        + "new backend to send it again.", LocalBackendProvider.ID, null);
  }

  boolean isClosed() {
    return closed;
  }

  /** Slots busy and queued, and how full their KV caches are. */
  @Override
  public Optional<BackendLoad> load() {
    return Optional.of(slots.load(executor.getQueue().size(), context));
  }

  Slots slots() {
    return slots;
  }

  /** The generations between their start and their end, for {@link #close()} to cancel. */
  Set<Generation> running() {
    return running;
  }

  Model model() {
    return model;
  }

  int contextLength() {
    return context;
  }

  void countEvaluated(int tokens) {
    evaluated.addAndGet(tokens);
  }

  /** Prompt tokens run through the model since the backend was created (reused ones excluded). */
  long evaluatedPromptTokens() {
    return evaluated.get();
  }

  private void ensureOpen() {
    if (closed) {
      throw new BackendUnavailableException("The local backend was closed; create a new one to keep chatting.", id(),
          null);
    }
  }

  /** Names the backend's generation threads and keeps them from holding the JVM open. */
  private static final class Daemons implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "banter-local-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}

package dev.banter.cli.tools;

import dev.banter.api.ChatRequest;
import dev.banter.api.ResponseFormat;
import dev.banter.api.ChatResponse;
import dev.banter.api.GenerationOptions;
import dev.banter.local.LocalBackendProvider;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.model.Model;
import dev.banter.local.model.Sampler;
import dev.banter.local.model.Session;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.WeightMatrix;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Measures the local engine's speed on a model file, the way llama.cpp's {@code llama-bench} does:
 * prefill is one batch of {@code promptTokens} random token ids (seeded) on an empty session,
 * decode is {@code genTokens} single-token steps after it, each followed by greedy sampling; no
 * chat template. One warm-up run, then {@code runs} measured runs.
 *
 * <p>{@link #concurrency} runs several requests at once through the backend and reports their
 * aggregate generation rate beside each one's own.
 *
 * <p>{@link #turns} measures prefix reuse instead: an N-turn chat through the real backend (chat
 * template, slots, prefix reuse), each turn sending the whole history plus a new user message of
 * about {@code userTokens} tokens and generating {@code genTokens} tokens with a fixed seed. With
 * reuse, a late turn costs about what the first did.
 *
 * <pre>{@code
 * Bench.Throughput t = Bench.throughput(Bench.Settings.of(Path.of("bench-1b-q8_0.gguf")).withThreads(2));
 * System.out.println(t.prefillTps() + " " + t.decodeTps());
 * }</pre>
 */
public final class Bench {
  private static final String[] WORDS = {"the", "quick", "story", "about", "a", "robot", "who", "learned", "to",
      "tell", "jokes", "in", "space", "while", "its", "friends", "were", "asleep", "and", "nobody", "laughed",
      "until", "morning", "came", "with", "coffee", "cake", "music", "questions", "answers", "why", "how",
      "could", "you", "explain", "that", "again", "please", "simply", "today"};
  private static final String SYSTEM_PROMPT = "You are Banter, a witty assistant.";

  private Bench() {}

  /**
   * What to measure. {@code batch} 0 means one batch for the whole prompt (throughput) or the
   * backend's default (turns); {@code turns} 0 means a throughput run.
   */
  public record Settings(Path model, int threads, int promptTokens, int genTokens, int runs, int context,
      int batch, long seed, int turns, int userTokens) {
    public Settings {
      Objects.requireNonNull(model, "model");
      check("threads", threads, 1, 1024);
      check("prompt tokens", promptTokens, 1, 1 << 22);
      check("generated tokens", genTokens, 1, 1 << 22);
      check("runs", runs, 1, 1000);
      check("context", context, 2, 1 << 22);
      check("batch", batch, 0, 1 << 22);
      check("turns", turns, 0, 1000);
      check("user tokens", userTokens, 1, 1 << 16);
    }

    /** llama-bench's defaults: all cores, 128 prompt tokens, 32 generated, 3 runs, context 2048. */
    public static Settings of(Path model) {
      return new Settings(model, Runtime.getRuntime().availableProcessors(), 128, 32, 3, 2048, 0, 1, 0, 30);
    }

    public Settings withThreads(int n) {
      return new Settings(model, n, promptTokens, genTokens, runs, context, batch, seed, turns, userTokens);
    }

    private static void check(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
      }
    }
  }

  /** The engine a run measured. */
  public record Engine(String model, String type, String jvm, boolean vector, boolean directLoads, int vectorBits,
      String kernels, boolean boundsChecked, int threads) {}

  /** The process's memory after a run, in MiB; -1 where the system does not say. */
  public record Memory(double rss, double rssAnon, double rssFile, double heapUsed, double heapMax) {}

  /** A throughput run: the medians of the measured runs, and each run's figures. */
  public record Throughput(Engine engine, int context, int batch, int promptTokens, int genTokens,
      double loadAverage, double[] prefillTpsRuns, double[] decodeTpsRuns, double[] ttftMsRuns, Memory memory) {
    public double prefillTps() {
      return median(prefillTpsRuns);
    }

    public double decodeTps() {
      return median(decodeTpsRuns);
    }

    public double ttftMs() {
      return median(ttftMsRuns);
    }
  }

  /** A turns run: each turn's time to first token, prompt size and prompt tokens taken from the cache. */
  public record Turns(Engine engine, int context, int batch, int genTokens, double loadAverage, double[] ttftMs,
      int[] promptTokens, int[] cachedTokens, Memory memory) {
    public double lastOverFirst() {
      return ttftMs[ttftMs.length - 1] / ttftMs[0];
    }
  }

  /**
   * Measures prefill and decode speed.
   *
   * @throws dev.banter.api.ModelLoadException if the model cannot be loaded
   * @throws OutOfMemoryError when the heap cannot hold a session of {@code context} tokens
   */
  public static Throughput throughput(Settings s) {
    GgmlType type = dominantType(s.model());
    try (Model model = Model.load(s.model(), s.threads())) {
      int capacity = Math.max(s.context(), s.promptTokens() + s.genTokens() + 1);
      int batch = s.batch() > 0 ? s.batch() : s.promptTokens();
      Session session = model.newSession(capacity, batch);
      int[] prompt = new int[s.promptTokens()];
      Random random = new Random(s.seed());
      for (int i = 0; i < prompt.length; i++) {
        prompt[i] = random.nextInt(model.vocabSize());
      }
      Sampler greedy = Sampler.builder().temperature(0).build(model.vocabSize());
      double[] prefill = new double[s.runs()];
      double[] decode = new double[s.runs()];
      double[] ttft = new double[s.runs()];
      double[] one = new double[3];
      measure(session, prompt, s.genTokens(), greedy, one);
      double load = SystemFigures.loadAverage();
      for (int r = 0; r < s.runs(); r++) {
        measure(session, prompt, s.genTokens(), greedy, one);
        prefill[r] = one[0];
        decode[r] = one[1];
        ttft[r] = one[2];
      }
      return new Throughput(engine(s.model(), type, model.threads()), capacity, session.batchSize(),
          s.promptTokens(), s.genTokens(), load, prefill, decode, ttft, SystemFigures.memory());
    }
  }

  /** One run: {@code [prefill tokens/s, decode tokens/s, time to first token in ms]} into {@code result}. */
  private static void measure(Session session, int[] prompt, int gen, Sampler greedy, double[] result) {
    session.truncate(0);
    int[] one = new int[1];
    long t0 = System.nanoTime();
    float[] logits = session.append(prompt, 0, prompt.length);
    long t1 = System.nanoTime();
    one[0] = greedy.sample(logits);
    long t2 = System.nanoTime();
    for (int i = 0; i < gen; i++) {
      logits = session.append(one, 0, 1);
      one[0] = greedy.sample(logits);
    }
    long t3 = System.nanoTime();
    result[0] = prompt.length / ((t1 - t0) / 1e9);
    result[1] = gen / ((t3 - t2) / 1e9);
    result[2] = (t2 - t0) / 1e6;
  }

  /**
   * Measures time to first token over a chat of {@code s.turns()} turns, through the local backend.
   * A first backend answers one warm-up turn (so the compiler has seen the code) and is closed; the
   * measured chat runs on a second one, whose cache starts empty.
   *
   * @throws IllegalArgumentException if {@code s.turns()} is 0
   */
  public static Turns turns(Settings s) {
    if (s.turns() < 1) {
      throw new IllegalArgumentException("a turns run needs at least one turn");
    }
    GgmlType type = dominantType(s.model());
    BackendConfig.Builder settings = BackendConfig.builder("local").set("model", s.model().toString())
        .set("threads", Integer.toString(s.threads())).set("slots", "1").set("context", Integer.toString(s.context()));
    if (s.batch() > 0) {
      settings.set("batch", Integer.toString(s.batch()));
    }
    BackendConfig config = settings.build();
    LocalBackendProvider provider = new LocalBackendProvider();
    GenerationOptions options = GenerationOptions.builder().seed(s.seed()).temperature(0.8)
        .maxTokens(s.genTokens()).build();
    try (Backend warmUp = provider.create(config)) {
      warmUp.chat(ChatRequest.builder().system(SYSTEM_PROMPT)
          .user(userMessage(new Random(s.seed() - 1), s.userTokens())).options(options).build());
    }
    try (Backend backend = provider.create(config)) {
      Random words = new Random(s.seed());
      ChatRequest request = ChatRequest.builder().system(SYSTEM_PROMPT).options(options).build();
      double load = SystemFigures.loadAverage();
      double[] ttft = new double[s.turns()];
      int[] promptTokens = new int[s.turns()];
      int[] cached = new int[s.turns()];
      for (int t = 0; t < s.turns(); t++) {
        request = request.toBuilder().user(userMessage(words, s.userTokens())).build();
        ChatResponse r = backend.chat(request);
        ttft[t] = r.timings().orElseThrow().timeToFirstToken().toNanos() / 1e6;
        promptTokens[t] = r.usage().orElseThrow().promptTokens();
        cached[t] = r.usage().orElseThrow().cachedPromptTokens();
        request = request.toBuilder().assistant(r.text()).build();
      }
      int context = backend.capabilities().contextLength().orElse(s.context());
      return new Turns(engine(s.model(), type, s.threads()), context, s.batch(), s.genTokens(), load, ttft,
          promptTokens, cached, SystemFigures.memory());
    }
  }

  /**
   * A concurrency run: per run, the aggregate generation rate of all requests together, and each
   * request's own generation rate.
   */
  public record Concurrency(Engine engine, int context, int requests, int promptTokens, int genTokens,
      double loadAverage, double[] aggregateDecodeTpsRuns, double[] requestDecodeTps, double[] ttftMs, Memory memory) {
    public double aggregateDecodeTps() {
      return median(aggregateDecodeTpsRuns);
    }

    /** The median of every request's generation rate, all runs together. */
    public double decodeTps() {
      return median(requestDecodeTps);
    }

    public double ttftMedianMs() {
      return median(ttftMs);
    }
  }

  /**
   * Measures {@code requests} simultaneous requests through the local backend (one slot each):
   * each sends its own prompt of about {@code promptTokens} words and generates up to {@code
   * genTokens} greedy tokens. The aggregate rate is all requests' generated tokens, after each
   * one's first, per second of wall time from the earliest first token to the last token of all;
   * each request's own rate is that of its timings. A warm-up round on a first backend comes before.
   *
   * @throws IllegalArgumentException if {@code requests < 1}
   */
  public static Concurrency concurrency(Settings s, int requests) {
    return concurrency(s, requests, ResponseFormat.text());
  }

  /**
   * As {@link #concurrency(Settings, int)}, each answer constrained to {@code format} (a JSON
   * schema, for the cost of constrained decoding).
   */
  public static Concurrency concurrency(Settings s, int requests, ResponseFormat format) {
    if (requests < 1 || requests > 64) {
      throw new IllegalArgumentException("concurrency must be between 1 and 64, got " + requests);
    }
    GgmlType type = dominantType(s.model());
    BackendConfig.Builder settings = BackendConfig.builder("local").set("model", s.model().toString())
        .set("threads", Integer.toString(s.threads())).set("slots", Integer.toString(requests))
        .set("context", Integer.toString(s.context()));
    if (s.batch() > 0) {
      settings.set("batch", Integer.toString(s.batch()));
    }
    BackendConfig config = settings.build();
    LocalBackendProvider provider = new LocalBackendProvider();
    GenerationOptions options = GenerationOptions.builder().seed(s.seed()).temperature(0)
        .maxTokens(s.genTokens()).build();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(requests);
    try {
      try (Backend warmUp = provider.create(config)) {
        round(warmUp, pool, requests, s, options, format, new Random(s.seed() - 1));
      }
      try (Backend backend = provider.create(config)) {
        double load = SystemFigures.loadAverage();
        double[] aggregate = new double[s.runs()];
        double[] perRequest = new double[s.runs() * requests];
        double[] ttft = new double[s.runs() * requests];
        Random words = new Random(s.seed());
        for (int r = 0; r < s.runs(); r++) {
          Round round = round(backend, pool, requests, s, options, format, words);
          aggregate[r] = round.aggregateTps;
          System.arraycopy(round.requestTps, 0, perRequest, r * requests, requests);
          System.arraycopy(round.ttftMs, 0, ttft, r * requests, requests);
        }
        int context = backend.capabilities().contextLength().orElse(s.context());
        return new Concurrency(engine(s.model(), type, s.threads()), context, requests, s.promptTokens(),
            s.genTokens(), load, aggregate, perRequest, ttft, SystemFigures.memory());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private record Round(double aggregateTps, double[] requestTps, double[] ttftMs) {}

  private static Round round(Backend backend, java.util.concurrent.ExecutorService pool, int requests, Settings s,
      GenerationOptions options, ResponseFormat format, Random words) {
    java.util.List<java.util.concurrent.Future<ChatResponse>> futures = new java.util.ArrayList<>();
    long[] starts = new long[requests];
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    for (int i = 0; i < requests; i++) {
      ChatRequest request = ChatRequest.builder().system(SYSTEM_PROMPT)
          .user(userMessage(words, s.promptTokens())).options(options).responseFormat(format).build();
      int index = i;
      futures.add(pool.submit(() -> {
        go.await();
        starts[index] = System.nanoTime();
        return backend.chat(request);
      }));
    }
    go.countDown();
    long firstToken = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    long generated = 0;
    double[] tps = new double[requests];
    double[] ttft = new double[requests];
    for (int i = 0; i < requests; i++) {
      ChatResponse r;
      try {
        r = futures.get(i).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
      }
      dev.banter.api.Timings t = r.timings().orElseThrow();
      long first = starts[i] + t.timeToFirstToken().toNanos();
      firstToken = Math.min(firstToken, first);
      end = Math.max(end, starts[i] + t.total().toNanos());
      generated += Math.max(0, r.usage().orElseThrow().completionTokens() - 1);
      tps[i] = t.tokensPerSecond().orElse(0);
      ttft[i] = t.timeToFirstToken().toNanos() / 1e6;
    }
    double wall = Math.max(1, end - firstToken) / 1e9;
    return new Round(generated / wall, tps, ttft);
  }

  /** About {@code tokens} tokens of plain words (one word is about one token). */
  static String userMessage(Random random, int tokens) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.append('?').toString();
  }

  private static Engine engine(Path model, GgmlType type, int threads) {
    Path name = model.getFileName();
    return new Engine(name == null ? model.toString() : name.toString(), type == null ? "unknown" : type.toString(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        WeightMatrix.vectorized(), WeightMatrix.directLoads(), WeightMatrix.vectorBits(), WeightMatrix.kernels(),
        WeightMatrix.boundsChecked(), threads);
  }

  /** The tensor type holding the most bytes of the file's weights; null for a file without tensors. */
  static GgmlType dominantType(Path file) {
    try (GgufFile f = GgufFile.open(file)) {
      Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
      GgmlType best = null;
      for (GgufTensor t : f.tensors()) {
        long b = bytes.merge(t.type(), t.byteSize(), Long::sum);
        if (best == null || b > bytes.get(best)) {
          best = t.type();
        }
      }
      return best;
    }
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}

package dev.banter.local;

import dev.banter.api.BanterException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.GenerationOptions;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.model.Model;
import dev.banter.local.model.Sampler;
import dev.banter.local.model.Session;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.WeightMatrix;
import dev.banter.spi.BackendConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Measures the engine's speed on a model file and prints one JSON object, the way llama.cpp's
 * {@code llama-bench} measures: prefill is one batch of {@code --prompt-tokens} random token ids
 * (seeded) on an empty session, decode is {@code --gen-tokens} single-token steps after it, each
 * followed by greedy sampling; no chat template. One warm-up run, then {@code --runs} measured runs;
 * the figures are medians, the per-run values follow them.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -Xmx2g -cp banter-local.jar:banter-api.jar:banter-spi.jar \
 *     dev.banter.local.Bench --model bench-1b-q8_0.gguf --threads 2 --prompt-tokens 128 --gen-tokens 32 --runs 3
 * {"mode":"throughput","model":"bench-1b-q8_0.gguf","type":"Q8_0",...,"prefill_tps":50.1,"decode_tps":12.9,...}
 * }</pre>
 *
 * <p>Fields: {@code prefill_tps} and {@code decode_tps} (tokens per second), {@code ttft_ms} (the
 * prompt's prefill plus the first sample), {@code rss_mb} (the process's resident memory from
 * {@code /proc/self/status}, -1 where there is none; {@code rss_file_mb} of it are mapped weights),
 * {@code heap_used_mb}, {@code jvm}, {@code vector} (whether the Vector API kernels run),
 * {@code direct_loads} (whether decode loads weights straight from the mapping, JDK 22+),
 * {@code threads}, {@code model}, {@code type} (the tensor type holding most of the weights),
 * {@code load_average} (the machine's one-minute load when the runs began).
 *
 * <p>With {@code --turns N} it measures prefix reuse instead: an N-turn chat through the real
 * backend (chat template, slots, prefix reuse), each turn sending the whole history plus a new
 * user message of about {@code --user-tokens} tokens and generating {@code --gen-tokens} tokens
 * with a fixed seed; it prints every turn's time to first token ({@code ttft_ms}), prompt size and
 * reused tokens. With reuse, a late turn costs about what the first did.
 *
 * <p>Exit status: 0 success, 1 the model or the run failed, 2 usage error.
 */
public final class Bench {
  private static final String USAGE = "usage: java -cp banter-local.jar:banter-api.jar:banter-spi.jar "
      + "dev.banter.local.Bench --model FILE [--threads N] [--prompt-tokens 128] [--gen-tokens 32] [--runs 3] "
      + "[--context 2048] [--batch N] [--seed 1] [--turns N [--user-tokens 30]]";
  private static final String[] WORDS = {"the", "quick", "story", "about", "a", "robot", "who", "learned", "to",
      "tell", "jokes", "in", "space", "while", "its", "friends", "were", "asleep", "and", "nobody", "laughed",
      "until", "morning", "came", "with", "coffee", "cake", "music", "questions", "answers", "why", "how",
      "could", "you", "explain", "that", "again", "please", "simply", "today"};

  private Bench() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** What to measure, from the command line. */
  static final class Options {
    Path model;
    int threads = Runtime.getRuntime().availableProcessors();
    int promptTokens = 128;
    int genTokens = 32;
    int runs = 3;
    int context = 2048;
    int batch;
    long seed = 1;
    int turns;
    int userTokens = 30;
  }

  /** Runs the command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Options o = new Options();
    String problem = parse(args, o);
    if (problem != null) {
      err.println(problem);
      err.println(USAGE);
      return 2;
    }
    try {
      String json = o.turns > 0 ? turns(o) : throughput(o);
      out.println(json);
      out.flush();
      return 0;
    } catch (BanterException | IllegalArgumentException | IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    } catch (OutOfMemoryError e) {
      err.println("not enough heap for a session of " + o.context + " tokens; lower --context or raise -Xmx");
      return 1;
    }
  }

  private static String parse(String[] args, Options o) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        return "missing value after " + a;
      }
      String v = args[++i];
      if (a.equals("--model")) {
        o.model = Paths.get(v);
        continue;
      }
      long n;
      try {
        n = Long.parseLong(v);
      } catch (NumberFormatException e) {
        return a + " needs a whole number, got '" + v + "'";
      }
      if (a.equals("--seed")) {
        o.seed = n;
        continue;
      }
      int min = a.equals("--context") ? 2 : 1;
      int max = a.equals("--threads") ? 1024 : a.equals("--runs") || a.equals("--turns") ? 1000 : 1 << 22;
      if (n < min || n > max) {
        return a + " must be between " + min + " and " + max + ", got " + v;
      }
      int value = (int) n;
      switch (a) {
        case "--threads":
          o.threads = value;
          break;
        case "--prompt-tokens":
          o.promptTokens = value;
          break;
        case "--gen-tokens":
          o.genTokens = value;
          break;
        case "--runs":
          o.runs = value;
          break;
        case "--context":
          o.context = value;
          break;
        case "--batch":
          o.batch = value;
          break;
        case "--turns":
          o.turns = value;
          break;
        case "--user-tokens":
          o.userTokens = value;
          break;
        default:
          return "unknown argument " + a;
      }
    }
    if (o.model == null) {
      return "--model is required";
    }
    return null;
  }

  // ---------------------------------------------------------------- throughput

  private static String throughput(Options o) {
    GgmlType type = dominantType(o.model);
    try (Model model = Model.load(o.model, o.threads)) {
      int capacity = Math.max(o.context, o.promptTokens + o.genTokens + 1);
      int batch = o.batch > 0 ? o.batch : o.promptTokens;
      Session session = model.newSession(capacity, batch);
      int[] prompt = new int[o.promptTokens];
      Random random = new Random(o.seed);
      for (int i = 0; i < prompt.length; i++) {
        prompt[i] = random.nextInt(model.vocabSize());
      }
      Sampler greedy = Sampler.builder().temperature(0).build(model.vocabSize());
      double[] prefill = new double[o.runs];
      double[] decode = new double[o.runs];
      double[] ttft = new double[o.runs];
      measure(session, prompt, o.genTokens, greedy, new double[3]);
      double load = loadAverage();
      double[] one = new double[3];
      for (int r = 0; r < o.runs; r++) {
        measure(session, prompt, o.genTokens, greedy, one);
        prefill[r] = one[0];
        decode[r] = one[1];
        ttft[r] = one[2];
      }
      Json j = header("throughput", o, model, type);
      j.field("context", capacity).field("batch", session.batchSize()).field("prompt_tokens", o.promptTokens)
          .field("gen_tokens", o.genTokens).field("runs", o.runs).field("load_average", load)
          .field("prefill_tps", median(prefill)).field("decode_tps", median(decode)).field("ttft_ms", median(ttft))
          .field("prefill_tps_runs", prefill).field("decode_tps_runs", decode).field("ttft_ms_runs", ttft);
      memory(j);
      return j.end();
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

  // ---------------------------------------------------------------- turns

  private static String turns(Options o) {
    GgmlType type = dominantType(o.model);
    BackendConfig.Builder settings = BackendConfig.builder(LocalBackendProvider.ID).set("model", o.model.toString())
        .set("threads", Integer.toString(o.threads)).set("slots", "1").set("context", Integer.toString(o.context));
    if (o.batch > 0) {
      settings.set("batch", Integer.toString(o.batch));
    }
    BackendConfig config = settings.build();
    try (LocalBackend backend = new LocalBackend(config)) {
      GenerationOptions options = GenerationOptions.builder().seed(o.seed).temperature(0.8)
          .maxTokens(o.genTokens).build();
      ChatRequest warmUp = ChatRequest.builder().system("You are Banter, a witty assistant.")
          .user(userMessage(new Random(o.seed - 1), o.userTokens)).options(options).build();
      backend.chat(warmUp);
      forget(backend);
      Random words = new Random(o.seed);
      ChatRequest request = ChatRequest.builder().system("You are Banter, a witty assistant.").options(options)
          .build();
      double load = loadAverage();
      double[] ttft = new double[o.turns];
      int[] promptTokens = new int[o.turns];
      int[] cached = new int[o.turns];
      for (int t = 0; t < o.turns; t++) {
        request = request.toBuilder().user(userMessage(words, o.userTokens)).build();
        ChatResponse r = backend.chat(request);
        ttft[t] = r.timings().timeToFirstToken().toNanos() / 1e6;
        promptTokens[t] = r.usage().promptTokens();
        cached[t] = r.usage().cachedPromptTokens();
        request = request.toBuilder().assistant(r.text()).build();
      }
      Json j = header("turns", o, backend.model(), type);
      j.field("context", backend.contextLength()).field("batch", o.batch > 0 ? o.batch : LocalBackend.DEFAULT_BATCH)
          .field("turns", o.turns).field("gen_tokens", o.genTokens)
          .field("load_average", load).field("ttft_ms", ttft).field("prompt_tokens", promptTokens)
          .field("cached_tokens", cached).field("ttft_last_over_first", ttft[o.turns - 1] / ttft[0]);
      memory(j);
      return j.end();
    }
  }

  /** Empties the backend's slot (its KV cache stays allocated), so that the first turn shares nothing. */
  private static void forget(LocalBackend backend) {
    Slots.Slot slot;
    try {
      slot = backend.slots().acquire(new int[0]);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    slot.session().truncate(0);
    backend.slots().release(slot);
  }

  /** About {@code tokens} tokens of plain words (one word is about one token). */
  static String userMessage(Random random, int tokens) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.append('?').toString();
  }

  // ---------------------------------------------------------------- shared

  private static Json header(String mode, Options o, Model model, GgmlType type) {
    Path name = o.model.getFileName();
    return new Json().field("mode", mode).field("model", name == null ? o.model.toString() : name.toString())
        .field("type", type == null ? "unknown" : type.toString())
        .field("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
        .field("vector", WeightMatrix.vectorized()).field("direct_loads", WeightMatrix.directLoads())
        .field("threads", model.threads());
  }

  private static void memory(Json j) {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    j.field("rss_mb", procStatusMb("VmRSS")).field("rss_anon_mb", procStatusMb("RssAnon"))
        .field("rss_file_mb", procStatusMb("RssFile"))
        .field("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0))
        .field("heap_max_mb", rt.maxMemory() / (1024.0 * 1024.0));
  }

  /** The tensor type holding the most bytes of the file's weights. */
  private static GgmlType dominantType(Path file) {
    try (GgufFile f = GgufFile.open(file)) {
      Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
      GgmlType best = null;
      for (GgufTensor t : f.tensors()) {
        long b = bytes.containsKey(t.type()) ? bytes.get(t.type()) : 0L;
        bytes.put(t.type(), b + t.byteSize());
        if (best == null || bytes.get(t.type()) > bytes.get(best)) {
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

  /** A line of {@code /proc/self/status} such as {@code VmRSS:  123 kB} in MiB, or -1. */
  private static double procStatusMb(String key) {
    Path status = Paths.get("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(status),
        StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(key + ":")) {
          String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
          return Long.parseLong(parts[0]) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** The one-minute load average from {@code /proc/loadavg}, or -1. */
  private static double loadAverage() {
    Path file = Paths.get("/proc/loadavg");
    try {
      if (Files.isReadable(file)) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
        return Double.parseDouble(text.split("\\s+")[0]);
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** A flat JSON object written field by field: strings, booleans, numbers and arrays of numbers. */
  private static final class Json {
    private final StringBuilder sb = new StringBuilder("{");

    Json field(String name, String value) {
      key(name).append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c < 0x20) {
          sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
      sb.append('"');
      return this;
    }

    Json field(String name, boolean value) {
      key(name).append(value);
      return this;
    }

    Json field(String name, long value) {
      key(name).append(value);
      return this;
    }

    Json field(String name, double value) {
      key(name);
      number(value);
      return this;
    }

    Json field(String name, double[] values) {
      key(name).append('[');
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        number(values[i]);
      }
      sb.append(']');
      return this;
    }

    Json field(String name, int[] values) {
      key(name).append('[');
      for (int i = 0; i < values.length; i++) {
        sb.append(i == 0 ? "" : ",").append(values[i]);
      }
      sb.append(']');
      return this;
    }

    String end() {
      return sb.append('}').toString();
    }

    private StringBuilder key(String name) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      return sb.append('"').append(name).append("\":");
    }

    private void number(double v) {
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        sb.append("null");
      } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        sb.append((long) v);
      } else {
        sb.append(String.format(Locale.ROOT, "%.3f", v));
      }
    }
  }
}

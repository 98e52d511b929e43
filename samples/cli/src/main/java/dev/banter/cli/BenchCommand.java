package dev.banter.cli;

import dev.banter.api.ResponseFormat;
import dev.banter.cli.tools.Bench;
import dev.banter.cli.tools.ServerLoad;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter bench}: the local engine's speed on a GGUF model, as one JSON object. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure the local engine's speed on a GGUF model, the way llama-bench does, and print one "
        + "JSON object: prefill_tps and decode_tps (medians after a warm-up run), ttft_ms, rss_mb, the JVM and "
        + "whether the Vector API kernels ran. With --turns N it runs an N-turn chat through the backend "
        + "instead and reports each turn's time to first token, showing prompt-prefix reuse. With --url it "
        + "measures a running OpenAI-compatible server instead (banter serve, llama-server, vLLM): --concurrency "
        + "streamed requests at once, the same figures from the client's side.",
        "Figures depend on the machine and its load: compare engines in the same run, on the same file."})
final class BenchCommand implements Callable<Integer> {
  @ParentCommand
  BanterCommand root;

  @Option(names = "--model", paramLabel = "FILE", description = "The GGUF model (or give --url).")
  Path model;

  @Option(names = "--url", paramLabel = "URL",
      description = "Measure the OpenAI-compatible server at this base URL (e.g. http://127.0.0.1:8080/v1) instead.")
  URI url;

  @Option(names = "--served-model", paramLabel = "NAME",
      description = "With --url: the model to ask for (default: the first the server lists).")
  String servedModel;

  @Option(names = "--api-key-env", paramLabel = "VAR",
      description = "With --url: the environment variable holding the server's key (none is sent by default).")
  String apiKeyEnv;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Units.DurationConverter.class,
      description = "With --url: the longest a round of requests may take (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the matrix products (default: all cores).")
  Integer threads;

  @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128",
      description = "Prompt tokens prefilled in one batch (default ${DEFAULT-VALUE}).")
  int promptTokens;

  @Option(names = "--gen-tokens", paramLabel = "N", defaultValue = "32",
      description = "Tokens generated after the prompt (default ${DEFAULT-VALUE}).")
  int genTokens;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Measured runs (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--context", paramLabel = "N", defaultValue = "2048",
      description = "The session's context in tokens (default ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "0",
      description = "Prompt tokens per pass (default: the whole prompt at once; with --turns, the backend's default).")
  int batch;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the random prompt (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--turns", paramLabel = "N", description = "Measure an N-turn chat's time to first token instead.")
  Integer turns;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Run N requests at once through the local backend (N slots) and report their aggregate "
          + "generation rate (aggregate_decode_tps) beside each request's (decode_tps, the median).")
  Integer concurrency;

  @Option(names = "--json-schema", paramLabel = "FILE",
      description = "With --concurrency: constrain every answer to this JSON Schema, to measure constrained decoding.")
  Path jsonSchema;

  @Option(names = "--user-tokens", paramLabel = "N", defaultValue = "30",
      description = "With --turns: about how many tokens each user message has (default ${DEFAULT-VALUE}).")
  int userTokens;

  @Override
  public Integer call() {
    if (url != null) {
      return server();
    }
    if (model == null) {
      throw new UsageException("give the model to measure with --model, or a server with --url");
    }
    Bench.Settings settings;
    try {
      settings = new Bench.Settings(model, threads == null ? Runtime.getRuntime().availableProcessors() : threads,
          promptTokens, genTokens, runs, context, batch, seed, turns == null ? 0 : turns, userTokens);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ModelFiles.requireTensors(model, "bench");
    Map<String, Object> json;
    try {
      if (concurrency != null && turns != null) {
        throw new UsageException("--concurrency and --turns measure different things; give one of them");
      }
      if (concurrency != null && (concurrency < 1 || concurrency > 64)) {
        throw new UsageException("--concurrency must be between 1 and 64, got " + concurrency);
      }
      if (jsonSchema != null && concurrency == null) {
        throw new UsageException("--json-schema measures answers through the backend; give --concurrency too");
      }
      json = concurrency != null ? concurrency(Bench.concurrency(settings, concurrency, format()))
          : turns == null ? throughput(Bench.throughput(settings)) : turns(Bench.turns(settings));
    } catch (OutOfMemoryError e) {
      throw new UsageException("not enough heap for a session of " + context + " tokens; lower --context or raise -Xmx");
    }
    Json.print(root.io.out, json);
    return ExitCode.OK;
  }

  private int server() {
    if (model != null || turns != null || jsonSchema != null || threads != null) {
      throw new UsageException("--url measures a running server: --model, --threads, --turns and --json-schema "
          + "belong to the server's own command line");
    }
    String key = null;
    if (apiKeyEnv != null) {
      key = root.io.env(apiKeyEnv);
      if (key == null || key.isBlank()) {
        throw new UsageException("--api-key-env " + apiKeyEnv + ": that environment variable is not set");
      }
    }
    ServerLoad.Settings settings;
    try {
      settings = new ServerLoad.Settings(url, servedModel, key, concurrency == null ? 1 : concurrency, promptTokens,
          genTokens, runs, timeout, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ServerLoad.Result r = ServerLoad.run(settings);
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("mode", "server");
    j.put("url", r.url());
    j.put("model", r.model());
    j.put("concurrency", r.requests());
    j.put("prompt_tokens", r.promptTokens());
    j.put("gen_tokens", r.genTokens());
    j.put("runs", r.aggregateDecodeTpsRuns().length);
    j.put("load_average", r.loadAverage());
    j.put("aggregate_decode_tps", r.aggregateDecodeTps());
    j.put("decode_tps", r.decodeTps());
    j.put("ttft_ms", r.ttftMedianMs());
    j.put("aggregate_decode_tps_runs", r.aggregateDecodeTpsRuns());
    j.put("decode_tps_requests", r.requestDecodeTps());
    j.put("ttft_ms_requests", r.ttftMs());
    j.put("completion_tokens", r.completionTokens());
    Json.print(root.io.out, j);
    return ExitCode.OK;
  }

  private ResponseFormat format() {
    if (jsonSchema == null) {
      return ResponseFormat.text();
    }
    try {
      return ResponseFormat.jsonSchema("bench", Files.readString(jsonSchema), true);
    } catch (IOException e) {
      throw new UsageException("--json-schema: cannot read " + jsonSchema + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> throughput(Bench.Throughput t) {
    Map<String, Object> j = header("throughput", t.engine());
    j.put("context", t.context());
    j.put("batch", t.batch());
    j.put("prompt_tokens", t.promptTokens());
    j.put("gen_tokens", t.genTokens());
    j.put("runs", t.prefillTpsRuns().length);
    j.put("load_average", t.loadAverage());
    j.put("prefill_tps", t.prefillTps());
    j.put("decode_tps", t.decodeTps());
    j.put("ttft_ms", t.ttftMs());
    j.put("prefill_tps_runs", t.prefillTpsRuns());
    j.put("decode_tps_runs", t.decodeTpsRuns());
    j.put("ttft_ms_runs", t.ttftMsRuns());
    memory(j, t.memory());
    return j;
  }

  private static Map<String, Object> concurrency(Bench.Concurrency c) {
    Map<String, Object> j = header("concurrency", c.engine());
    j.put("context", c.context());
    j.put("concurrency", c.requests());
    j.put("prompt_tokens", c.promptTokens());
    j.put("gen_tokens", c.genTokens());
    j.put("runs", c.aggregateDecodeTpsRuns().length);
    j.put("load_average", c.loadAverage());
    j.put("aggregate_decode_tps", c.aggregateDecodeTps());
    j.put("decode_tps", c.decodeTps());
    j.put("ttft_ms", c.ttftMedianMs());
    j.put("aggregate_decode_tps_runs", c.aggregateDecodeTpsRuns());
    j.put("decode_tps_requests", c.requestDecodeTps());
    memory(j, c.memory());
    return j;
  }

  private static Map<String, Object> turns(Bench.Turns t) {
    Map<String, Object> j = header("turns", t.engine());
    j.put("context", t.context());
    j.put("batch", t.batch());
    j.put("turns", t.ttftMs().length);
    j.put("gen_tokens", t.genTokens());
    j.put("load_average", t.loadAverage());
    j.put("ttft_ms", t.ttftMs());
    j.put("prompt_tokens", t.promptTokens());
    j.put("cached_tokens", t.cachedTokens());
    j.put("ttft_last_over_first", t.lastOverFirst());
    memory(j, t.memory());
    return j;
  }

  private static Map<String, Object> header(String mode, Bench.Engine e) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("mode", mode);
    j.put("model", e.model());
    j.put("type", e.type());
    j.put("jvm", e.jvm());
    j.put("vector", e.vector());
    j.put("direct_loads", e.directLoads());
    j.put("vector_bits", e.vectorBits());
    j.put("kernels", e.kernels());
    j.put("vector_bounds_checks", e.boundsChecked());
    j.put("threads", e.threads());
    return j;
  }

  private static void memory(Map<String, Object> j, Bench.Memory m) {
    j.put("rss_mb", m.rss());
    j.put("rss_anon_mb", m.rssAnon());
    j.put("rss_file_mb", m.rssFile());
    j.put("heap_used_mb", m.heapUsed());
    j.put("heap_max_mb", m.heapMax());
  }
}

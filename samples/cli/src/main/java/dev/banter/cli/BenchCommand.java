package dev.banter.cli;

import dev.banter.local.Bench;
import dev.banter.local.gguf.GgufFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code banter bench}: the local engine's {@link Bench} under the command's roof — same options,
 * same JSON. The options are checked here (usage errors exit 2, a file that is no GGUF model exits
 * 4); then {@code Bench} runs and ends the process with its own status: 0, or 1 when the engine
 * cannot run the model.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure the local engine's speed on a GGUF model, the way llama-bench does, and print one "
        + "JSON object: prefill_tps and decode_tps (medians after a warm-up run), ttft_ms, rss_mb, the JVM and "
        + "whether the Vector API kernels ran. With --turns N it runs an N-turn chat through the backend "
        + "instead and reports each turn's time to first token, showing prompt-prefix reuse.",
        "Figures depend on the machine and its load: compare engines in the same run, on the same file."})
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "The GGUF model.")
  Path model;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the matrix products (default: all cores).")
  Integer threads;

  @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128",
      description = "Prompt tokens prefilled in one batch (default 128).")
  int promptTokens;

  @Option(names = "--gen-tokens", paramLabel = "N", defaultValue = "32",
      description = "Tokens generated after the prompt (default 32).")
  int genTokens;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Measured runs (default 3).")
  int runs;

  @Option(names = "--context", paramLabel = "N", defaultValue = "2048",
      description = "The session's context in tokens (default 2048).")
  int context;

  @Option(names = "--turns", paramLabel = "N", description = "Measure an N-turn chat's time to first token instead.")
  Integer turns;

  @Override
  public Integer call() {
    check("--threads", threads == null ? 1 : threads, 1, 1024);
    check("--prompt-tokens", promptTokens, 1, 1 << 22);
    check("--gen-tokens", genTokens, 1, 1 << 22);
    check("--runs", runs, 1, 1000);
    check("--context", context, 2, 1 << 22);
    check("--turns", turns == null ? 1 : turns, 1, 1000);
    try (GgufFile checked = GgufFile.open(model)) {
      if (checked.tensors().isEmpty()) {
        throw new UsageException(model + " holds no tensors (a vocabulary-only file?); bench needs a whole model");
      }
    }
    List<String> args = new ArrayList<>(List.of("--model", model.toString(),
        "--prompt-tokens", String.valueOf(promptTokens), "--gen-tokens", String.valueOf(genTokens),
        "--runs", String.valueOf(runs), "--context", String.valueOf(context)));
    if (threads != null) {
      args.add("--threads");
      args.add(String.valueOf(threads));
    }
    if (turns != null) {
      args.add("--turns");
      args.add(String.valueOf(turns));
    }
    Bench.main(args.toArray(new String[0]));
    throw new IllegalStateException("Bench.main returned instead of ending the process");
  }

  private static void check(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UsageException(option + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}

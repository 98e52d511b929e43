package dev.banter.cli;

import dev.banter.local.Eval;
import dev.banter.local.gguf.GgufFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code banter eval}: the local engine's {@link Eval} under the command's roof — same options,
 * same output. The options are checked here (usage errors exit 2, a file that is no GGUF model
 * exits 4); then {@code Eval} runs and ends the process with its own status: 0, or 1 when the
 * engine cannot run the model or the evaluation fails.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Evaluate a prompt on a GGUF model with the local engine and print one JSON object: "
        + "{\"prompt_tokens\":[...],\"greedy_tokens\":[...]}. --dump-logits writes the logits of every prompt "
        + "position as little-endian float32, row-major — the layout of llama.cpp's reference dumps, to compare "
        + "the two engines. BOS is added as the model's metadata says."})
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "The GGUF model.")
  Path model;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The text to evaluate, as is.")
  String prompt;

  @Option(names = "--special", description = "Recognise control tokens such as <|im_start|> in the prompt.")
  boolean special;

  @Option(names = "--greedy", paramLabel = "N", defaultValue = "0",
      description = "Greedy tokens to generate after the prompt; stops early at end-of-generation (default 0).")
  int greedy;

  @Option(names = "--dump-logits", paramLabel = "OUT.f32", description = "Write the prompt's logits here.")
  Path dumpLogits;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the matrix products (default: all cores).")
  Integer threads;

  @Override
  public Integer call() {
    if (greedy < 0 || greedy > (1 << 20)) {
      throw new UsageException("--greedy must be between 0 and " + (1 << 20) + ", got " + greedy);
    }
    if (threads != null && (threads < 1 || threads > 1024)) {
      throw new UsageException("--threads must be between 1 and 1024, got " + threads);
    }
    try (GgufFile checked = GgufFile.open(model)) {
      if (checked.tensors().isEmpty()) {
        throw new UsageException(model + " holds no tensors (a vocabulary-only file?); eval needs a whole model");
      }
    }
    List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--prompt", prompt,
        "--greedy", String.valueOf(greedy)));
    if (special) {
      args.add("--special");
    }
    if (dumpLogits != null) {
      args.add("--dump-logits");
      args.add(dumpLogits.toString());
    }
    if (threads != null) {
      args.add("--threads");
      args.add(String.valueOf(threads));
    }
    Eval.main(args.toArray(new String[0]));
    throw new IllegalStateException("Eval.main returned instead of ending the process");
  }
}

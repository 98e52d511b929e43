package dev.banter.cli;

import dev.banter.cli.tools.Eval;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter eval}: a prompt's tokens, greedy continuation and logits on the local engine. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Evaluate a prompt on a GGUF model with the local engine and print one JSON object: "
        + "{\"prompt_tokens\":[...],\"greedy_tokens\":[...]}. --dump-logits writes the logits of every prompt "
        + "position as little-endian float32, row-major — the layout of llama.cpp's reference dumps, to compare "
        + "the two engines. BOS is added as the model's metadata says."})
final class EvalCommand implements Callable<Integer> {
  @ParentCommand
  BanterCommand root;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "The GGUF model.")
  Path model;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The text to evaluate, as is.")
  String prompt;

  @Option(names = "--special", description = "Recognise control tokens such as <|im_start|> in the prompt.")
  boolean special;

  @Option(names = "--dump-logits", paramLabel = "OUT.f32", description = "Write the prompt's logits here.")
  Path dumpLogits;

  @Option(names = "--greedy", paramLabel = "N", defaultValue = "0",
      description = "Greedy tokens to generate after the prompt; stops early at end-of-generation (default 0).")
  int greedy;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the matrix products (default: all cores).")
  Integer threads;

  @Override
  public Integer call() {
    Eval.Settings settings;
    try {
      settings = new Eval.Settings(model, prompt, special, greedy, dumpLogits != null,
          threads == null ? Runtime.getRuntime().availableProcessors() : threads);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ModelFiles.requireTensors(model, "eval");
    Eval.Result r;
    try {
      r = Eval.run(settings);
    } catch (OutOfMemoryError e) {
      throw new UsageException("not enough memory for the prompt's logits and " + greedy
          + " greedy tokens; ask for fewer or raise -Xmx");
    }
    if (dumpLogits != null) {
      write(dumpLogits, r.promptLogits().orElseThrow());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("prompt_tokens", r.promptTokens());
    json.put("greedy_tokens", r.greedyTokens());
    Json.print(root.io.out, json);
    return ExitCode.OK;
  }

  private static void write(Path file, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
      for (float v : values) {
        if (buf.remaining() < Float.BYTES) {
          os.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putFloat(v);
      }
      os.write(buf.array(), 0, buf.position());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the logits to " + file + ": " + e.getMessage(), e);
    }
  }
}

package dev.banter.cli;

import dev.banter.cli.tools.BenchModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter models make-bench}: writes a random-weight model of a real model's shape, for speed runs. */
@Command(name = "make-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write a llama-architecture GGUF model with seeded random weights, by default bench-1b "
        + "(TinyLlama-1.1B's shape), with tensor types as llama-quantize picks them for the file type, to compare "
        + "engines' speed (banter bench, llama-bench) on the same file. The vocabulary is copied from --vocab."})
final class ModelsMakeBenchCommand implements Callable<Integer> {
  @ParentCommand
  ModelsCommand parent;

  @Option(names = "--vocab", required = true, paramLabel = "VOCAB.gguf",
      description = "A GGUF file whose vocabulary the model gets (a model or a vocabulary-only file).")
  Path vocab;

  @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Q8_0, Q4_0 or Q4_K_M.")
  String type;

  @Option(names = "--out", required = true, paramLabel = "FILE.gguf", description = "Where to write the model.")
  Path out;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the weights (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dim", paramLabel = "N", defaultValue = "2048", description = "Embedding size, a multiple of 256 (default ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--layers", paramLabel = "N", defaultValue = "22", description = "Layers (default ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--heads", paramLabel = "N", defaultValue = "32", description = "Attention heads (default ${DEFAULT-VALUE}).")
  int heads;

  @Option(names = "--kv-heads", paramLabel = "N", defaultValue = "4", description = "Key/value heads (default ${DEFAULT-VALUE}).")
  int kvHeads;

  @Option(names = "--ffn", paramLabel = "N", defaultValue = "5632", description = "Feed-forward size, a multiple of 256 (default ${DEFAULT-VALUE}).")
  int ffn;

  @Option(names = "--context", paramLabel = "N", defaultValue = "2048", description = "Trained context length (default ${DEFAULT-VALUE}).")
  int context;

  @Override
  public Integer call() {
    BenchModel.FileType fileType;
    BenchModel.Shape shape;
    try {
      fileType = BenchModel.FileType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--type must be Q8_0, Q4_0 or Q4_K_M, got '" + type + "'");
    }
    try {
      shape = new BenchModel.Shape(dim, layers, heads, kvHeads, ffn, context);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    long t0 = System.nanoTime();
    long bytes = BenchModel.write(new BenchModel.Settings(vocab, fileType, out, seed, shape));
    parent.root.io.out.printf(Locale.ROOT, "wrote %s: %s, %.1f MiB (%d bytes) in %.1f s%n", out, fileType,
        bytes / 1048576.0, bytes, (System.nanoTime() - t0) / 1e9);
    parent.root.io.out.flush();
    return ExitCode.OK;
  }
}

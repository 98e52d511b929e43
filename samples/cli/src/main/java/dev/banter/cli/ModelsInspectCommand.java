package dev.banter.cli;

import dev.banter.local.gguf.GgufFile;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code banter models inspect FILE}: what a GGUF file holds, read from its header only. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Show what a GGUF file holds: architecture, parameter count, tensor types, context length, "
        + "vocabulary, the start of its chat template. Reads the header only, so it is instant on "
        + "files of any size."})
final class ModelsInspectCommand implements Callable<Integer> {
  @ParentCommand
  ModelsCommand parent;

  @Parameters(paramLabel = "FILE", description = "The GGUF file, or Org/Repo:QUANT pulled from Hugging Face.")
  String file;

  @Option(names = "--template-lines", paramLabel = "N", defaultValue = "8",
      description = "How many lines of the chat template to show (default ${DEFAULT-VALUE}; 0 for none).")
  int templateLines;

  @Override
  public Integer call() {
    if (templateLines < 0) {
      throw new UsageException("--template-lines must be >= 0, got " + templateLines);
    }
    Path path = Paths.get(HfModels.resolveSetting(file, parent.root.io.modelsDir()));
    try (GgufFile gguf = GgufFile.open(path)) {
      parent.root.io.out.print(ModelReport.of(gguf, templateLines));
      parent.root.io.out.flush();
    }
    return ExitCode.OK;
  }
}

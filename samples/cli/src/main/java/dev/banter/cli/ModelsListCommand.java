package dev.banter.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter models list}: the model files in the cache directory. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the model files in the cache directory, with unfinished downloads.")
final class ModelsListCommand implements Callable<Integer> {
  @ParentCommand
  ModelsCommand parent;

  @Option(names = "--dir", paramLabel = "DIR", description = "List this directory instead of the cache.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    Io io = parent.root.io;
    Path where = dir != null ? dir : io.modelsDir();
    if (!Files.isDirectory(where)) {
      io.err.println("No models yet: " + where + " does not exist. 'banter models pull URL' downloads one.");
      return ExitCode.OK;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(where)) {
      for (Path p : entries) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    io.out.println(where);
    for (Path p : files) {
      String name = p.getFileName().toString();
      String note = name.endsWith(".part") ? "  (unfinished download; 'banter models pull' with the same URL resumes it)"
          : "";
      io.out.println(String.format(Locale.ROOT, "  %10s  %s%s", Units.human(Files.size(p)), name, note));
    }
    if (files.isEmpty()) {
      io.out.println("  (empty)");
    }
    io.out.flush();
    return ExitCode.OK;
  }
}

package dev.banter.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter models list}: the model files in the cache directory. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the model files in the cache directory, with unfinished downloads. Files pulled from "
        + "Hugging Face show the name chat -m and serve -m take (Org/Repo:QUANT)."})
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
      io.err.println("No models yet: " + where + " does not exist. 'banter models pull URL' or 'banter models pull "
          + "Org/Repo:QUANT' downloads one.");
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
    files.removeIf(p -> p.getFileName().toString().startsWith("."));
    io.out.println(where);
    for (Path p : files) {
      String name = p.getFileName().toString();
      String note = name.endsWith(".part") ? "  (unfinished download; 'banter models pull' with the same URL resumes it)"
          : "";
      io.out.println(String.format(Locale.ROOT, "  %10s  %s%s", Units.human(Files.size(p)), name, note));
    }
    boolean pulled = listPulled(io, where.resolve("hf"));
    if (files.isEmpty() && !pulled) {
      io.out.println("  (empty)");
    }
    io.out.flush();
    return ExitCode.OK;
  }

  /** Lists what 'models pull Org/Repo:QUANT' put under {@code hf/Org/Repo/}, by the name chat takes. */
  private static boolean listPulled(Io io, Path hf) throws IOException {
    if (!Files.isDirectory(hf)) {
      return false;
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(hf)) {
      walk.filter(Files::isRegularFile).filter(p -> {
        Path rel = hf.relativize(p);
        String n = p.getFileName().toString();
        return rel.getNameCount() >= 3 && (HfModels.isModel(n) || n.endsWith(".gguf.part"));
      }).sorted().forEach(found::add);
    }
    for (Path p : found) {
      Path rel = hf.relativize(p);
      String repo = rel.getName(0) + "/" + rel.getName(1);
      String inRepo = rel.subpath(2, rel.getNameCount()).toString().replace('\\', '/');
      boolean part = inRepo.endsWith(".part");
      String file = part ? inRepo.substring(0, inRepo.length() - 5) : inRepo;
      String name = repo + HfModels.quantOf(file).map(q -> ":" + q).orElse("");
      String note = part ? "  (unfinished download; 'banter models pull " + name + "' resumes it)" : "";
      io.out.println(String.format(Locale.ROOT, "  %10s  %s  (hf/%s/%s)%s", Units.human(Files.size(p)), name, repo,
          inRepo, note));
    }
    return !found.isEmpty();
  }
}

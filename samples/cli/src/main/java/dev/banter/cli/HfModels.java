package dev.banter.cli;

import dev.banter.api.ModelLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hugging Face model names ({@code Org/Repo[:QUANT]}, as llama.cpp's {@code -hf} and Ollama's
 * {@code hf.co/} take them) and how one picks a GGUF file from a repository's file list: the
 * same rule online (on the hub's listing) and offline (on what {@code banter models pull} put
 * under {@code MODELS/hf/Org/Repo/}), so that {@code chat -m Org/Repo:Q8_0} finds the file the
 * pull fetched.
 *
 * <p>The rule is llama.cpp's ({@code find_best_model} in {@code common/download.cpp}): a model
 * file is a {@code .gguf} that is no projector, imatrix or draft model; {@code QUANT} matches,
 * case-insensitively, where the file name has {@code QUANT} followed by {@code .} or {@code -}
 * (here also preceded by the start, {@code -}, {@code .} or {@code /}, so {@code K_M} does not match
 * {@code Q4_K_M});
 * with no {@code QUANT}, the first file of {@code Q4_K_M}, then {@code Q8_0}, then the first model
 * file. Of a split model only part 1 is considered.
 */
final class HfModels {
  /** Quants tried in order when the name gives none, as llama.cpp does. */
  static final List<String> DEFAULT_QUANTS = List.of("Q4_K_M", "Q8_0");
  /** Records which file a pull without QUANT chose, so that the name without QUANT finds it again. */
  static final String DEFAULT_FILE = ".banter-default";

  private static final Pattern NAME = Pattern.compile(
      "(?:hf\\.co/|huggingface\\.co/)?([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)(?::([A-Za-z0-9._-]+))?");
  private static final Pattern SPLIT = Pattern.compile("(?i)^(.+)-(\\d{5})-of-(\\d{5})$");
  private static final Pattern TAG = Pattern.compile("(?i)[-.]([A-Z0-9_]+)$");
  private static final String[] NOT_MODELS = {"mmproj", "imatrix", "mtp-", "eagle3-", "dflash-", "dspark-"};

  private HfModels() {}

  /** A repository on the hub and an optional quantisation tag. */
  record Name(String repo, Optional<String> quant) {
    /** How the user would write it: {@code Org/Repo:QUANT} or {@code Org/Repo}. */
    @Override
    public String toString() {
      return repo + quant.map(q -> ":" + q).orElse("");
    }
  }

  /** Where a split file stands: part {@code index} of {@code count}, with the name before the part number. */
  record Split(String prefix, int index, int count) {}

  /**
   * Reads {@code Org/Repo[:QUANT]} (optionally behind {@code hf.co/}); empty for anything else,
   * such as a file path ending in {@code .gguf}, an absolute path or a URL.
   */
  static Optional<Name> parse(String text) {
    Matcher m = NAME.matcher(text);
    if (!m.matches() || m.group(3) == null && text.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
      return Optional.empty();
    }
    String org = m.group(1);
    String repo = m.group(2);
    if (org.equals("..") || repo.equals("..") || org.equals(".") || repo.equals(".")) {
      return Optional.empty();
    }
    return Optional.of(new Name(org + "/" + repo, Optional.ofNullable(m.group(3))));
  }

  /** Whether {@code path} (a repository path, {@code /}-separated) is a model's GGUF file. */
  static boolean isModel(String path) {
    if (!path.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
      return false;
    }
    String file = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    for (String s : NOT_MODELS) {
      if (file.contains(s)) {
        return false;
      }
    }
    return true;
  }

  static Split split(String path) {
    String stem = stem(path);
    Matcher m = SPLIT.matcher(stem);
    return m.matches() ? new Split(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
        : new Split(stem, 1, 1);
  }

  /** The quantisation tag a file name ends with, upper-cased: {@code Qwen3-0.6B-Q8_0.gguf} → {@code Q8_0}. */
  static Optional<String> quantOf(String path) {
    Matcher m = TAG.matcher(split(path).prefix());
    return m.find() ? Optional.of(m.group(1).toUpperCase(Locale.ROOT)) : Optional.empty();
  }

  /** The file {@code quant} names among {@code paths} (see the class comment); empty when none matches. */
  static Optional<String> choose(Collection<String> paths, Optional<String> quant) {
    List<String> tags = quant.map(List::of).orElse(DEFAULT_QUANTS);
    for (String tag : tags) {
      Pattern p = Pattern.compile("(?i)(?:^|[-./])" + Pattern.quote(tag) + "[.-]");
      for (String path : paths) {
        if (isModel(path) && split(path).index() == 1 && p.matcher(path).find()) {
          return Optional.of(path);
        }
      }
    }
    if (quant.isEmpty()) {
      for (String path : paths) {
        if (isModel(path) && split(path).index() == 1) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }

  /** The quants the model files offer, sorted, for messages: {@code Q4_K_M, Q8_0, F16 (split in 2 files)}. */
  static String available(Collection<String> paths) {
    TreeSet<String> out = new TreeSet<>();
    for (String path : paths) {
      Split s = split(path);
      if (isModel(path) && s.index() == 1) {
        String q = quantOf(path).orElse(path);
        out.add(s.count() > 1 ? q + " (split in " + s.count() + " files)" : q);
      }
    }
    return out.isEmpty() ? "(no GGUF model files)" : String.join(", ", out);
  }

  /** The directory a repository's files are pulled to: {@code MODELS/hf/Org/Repo}. */
  static Path dir(Path modelsDir, String repo) {
    int slash = repo.indexOf('/');
    return modelsDir.resolve("hf").resolve(repo.substring(0, slash)).resolve(repo.substring(slash + 1));
  }

  /**
   * The downloaded file {@code name} stands for, found without the network: the file the pull
   * without QUANT recorded, else the same rule as online over the files present.
   */
  static Optional<Path> local(Path modelsDir, Name name) {
    Path dir = dir(modelsDir, name.repo());
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(HfModels::isModel).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (name.quant().isEmpty()) {
      Path recorded = dir.resolve(DEFAULT_FILE);
      try {
        if (Files.isRegularFile(recorded)) {
          String rel = new String(Files.readAllBytes(recorded), StandardCharsets.UTF_8).trim();
          if (files.contains(rel)) {
            return Optional.of(dir.resolve(rel));
          }
        }
      } catch (IOException e) {
        // fall back to the rule
      }
    }
    return choose(files, name.quant()).map(dir::resolve);
  }

  /**
   * What the local backend's {@code model} setting should be: an existing file as given; a
   * Hugging Face name as the file a pull downloaded; anything else as given (the engine then
   * reports a missing file).
   *
   * @throws ModelLoadException when the name is a Hugging Face name that was not pulled yet; the
   *     message gives the {@code banter models pull} command to run
   */
  static String resolveSetting(String model, Path modelsDir) {
    try {
      if (Files.exists(Paths.get(model))) {
        return model;
      }
    } catch (InvalidPathException e) {
      // Org/Repo:QUANT is no valid path on Windows; it may still be a name
    }
    Optional<Name> name = parse(model);
    if (name.isEmpty()) {
      return model;
    }
    return local(modelsDir, name.get()).map(Path::toString).orElseThrow(() -> new ModelLoadException(
        "Model " + name.get() + " is not downloaded yet (nothing under " + dir(modelsDir, name.get().repo())
            + " matches it). Download it with: banter models pull " + name.get(), model, -1));
  }

  private static String stem(String path) {
    String file = path.substring(path.lastIndexOf('/') + 1);
    return file.toLowerCase(Locale.ROOT).endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
  }
}

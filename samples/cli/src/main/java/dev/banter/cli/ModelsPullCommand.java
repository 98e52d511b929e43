package dev.banter.cli;

import dev.banter.api.BanterException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code banter models pull URL} or {@code banter models pull Org/Repo[:QUANT]}: a resumable,
 * verified download into the model cache, from an address or from the Hugging Face hub by name.
 */
@Command(name = "pull", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Download a GGUF file into the cache directory, with a progress bar. An interrupted "
        + "download resumes where it stopped (NAME.part is kept; run the same command again). Prints the "
        + "file's path.",
        "",
        "From Hugging Face by name: Org/Repo:QUANT (e.g. Qwen/Qwen3-0.6B-GGUF:Q8_0) picks the repository's GGUF "
        + "file of that quantisation (case-insensitive, also in subfolders); Org/Repo alone takes Q4_K_M, else "
        + "Q8_0, else the first GGUF file, as llama.cpp's -hf does. The file is verified against the SHA-256 the "
        + "hub lists, and stored under MODELS/hf/Org/Repo/, where 'banter chat -m Org/Repo:QUANT' finds it "
        + "offline. Models split into several files are refused (the engine loads one file). Environment: "
        + "HF_TOKEN (an access token, for gated and private repositories; never printed), HF_ENDPOINT (default "
        + HfHub.DEFAULT_ENDPOINT + ").",
        "",
        "From a URL: with --sha256 the file is verified, and a mismatch is discarded."})
final class ModelsPullCommand implements Callable<Integer> {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  @ParentCommand
  ModelsCommand parent;

  @Parameters(paramLabel = "URL|Org/Repo[:QUANT]",
      description = "Where to download from: an http(s) URL, or a Hugging Face repository and quantisation.")
  String url;

  @Option(names = "--sha256", paramLabel = "HEX", description = "The expected SHA-256 of the file (64 hex digits).")
  String sha256;

  @Option(names = "--dir", paramLabel = "DIR", description = "Download here instead of the cache directory.")
  Path dir;

  @Option(names = "--name", paramLabel = "FILE", description = "The file name (default: the URL's last path segment).")
  String name;

  @Option(names = "--hf-endpoint", paramLabel = "URL",
      description = "The Hugging Face hub to use (default: $HF_ENDPOINT, else " + HfHub.DEFAULT_ENDPOINT + ").")
  String hfEndpoint;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
      description = "How often to resume an interrupted transfer before giving up (default ${DEFAULT-VALUE}).")
  int retries;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Io io = parent.root.io;
    if (!url.contains("://")) {
      Optional<HfModels.Name> hf = HfModels.parse(url);
      if (hf.isPresent()) {
        return pullFromHub(io, hf.get());
      }
      throw new UsageException("expected an http(s) URL or a Hugging Face name Org/Repo[:QUANT], got '" + url + "'");
    }
    if (hfEndpoint != null) {
      throw new UsageException("--hf-endpoint applies to Hugging Face names, not to URLs");
    }
    URI uri = uri(url);
    if (sha256 != null && !HEX64.matcher(sha256).matches()) {
      throw new UsageException("--sha256 needs 64 hex digits, got '" + sha256 + "'");
    }
    if (retries < 0) {
      throw new UsageException("--retries must be >= 0, got " + retries);
    }
    String fileName = name != null ? name : lastSegment(uri);
    checkName(fileName);
    Path target = (dir != null ? dir : io.modelsDir()).resolve(fileName);
    if (Files.isRegularFile(target)) {
      String have = Download.sha256(target);
      if (sha256 == null || sha256.toLowerCase(Locale.ROOT).equals(have)) {
        io.err.println("Already downloaded (SHA-256 " + have + ").");
        io.out.println(target);
        return ExitCode.OK;
      }
      throw new BanterException(target + " exists with SHA-256 " + have + ", not the expected "
          + sha256.toLowerCase(Locale.ROOT) + ". Delete it to download again.");
    }
    ProgressBar bar = new ProgressBar(io.err, io.errIsTerminal(), fileName);
    Download d = new Download(Download.defaultClient(), uri, target, sha256, retries, bar::update, io.err);
    String actual;
    try {
      actual = d.run();
    } finally {
      bar.finish();
    }
    io.err.println("Downloaded " + Units.human(Files.size(target)) + ", SHA-256 " + actual
        + (sha256 == null ? " (not verified: pass --sha256 to check it)" : " (verified)") + ".");
    io.out.println(target);
    io.out.flush();
    return ExitCode.OK;
  }

  private int pullFromHub(Io io, HfModels.Name name) throws IOException, InterruptedException {
    if (sha256 != null || this.name != null) {
      throw new UsageException((sha256 != null ? "--sha256" : "--name") + " applies to URLs; for " + name
          + " the hub supplies the file name and its SHA-256");
    }
    if (retries < 0) {
      throw new UsageException("--retries must be >= 0, got " + retries);
    }
    String endpoint = hfEndpoint != null ? hfEndpoint
        : io.env("HF_ENDPOINT") != null ? io.env("HF_ENDPOINT") : HfHub.DEFAULT_ENDPOINT;
    HfHub hub = new HfHub(endpoint, io.env("HF_TOKEN"));
    List<HfHub.File> files = hub.files(name.repo());
    Map<String, HfHub.File> byPath = new LinkedHashMap<>();
    for (HfHub.File f : files) {
      byPath.put(f.path(), f);
    }
    String available = HfModels.available(byPath.keySet());
    if (byPath.keySet().stream().noneMatch(HfModels::isModel)) {
      throw new BanterException(name.repo() + " holds no GGUF model file; Banter runs GGUF models. Look for a "
          + "GGUF conversion of it (a repository whose name usually ends in -GGUF).");
    }
    String path = HfModels.choose(byPath.keySet(), name.quant()).orElseThrow(() -> new BanterException(
        "No GGUF file for quant '" + name.quant().orElse("") + "' in " + name.repo() + ". Available: " + available
            + ". For example: banter models pull " + name.repo() + ":" + firstQuant(byPath.keySet())));
    HfModels.Split split = HfModels.split(path);
    if (split.count() > 1) {
      throw new BanterException(name + " is split into " + split.count() + " files (" + path + " and the rest); "
          + "Banter's engine loads a single GGUF file, so it does not download them. Merge the parts with "
          + "llama.cpp's 'llama-gguf-split --merge' and pass the merged file, or pick another quant. Available: "
          + available + ".");
    }
    HfHub.File file = byPath.get(path);
    Optional<String> expected = file.sha256();
    if (expected.isEmpty()) {
      expected = hub.linkedSha256(name.repo(), path);
    }
    Path base = dir != null ? dir : io.modelsDir();
    Path repoDir = HfModels.dir(base, name.repo());
    Path target = repoDir.resolve(path).normalize();
    if (!target.startsWith(repoDir) || path.contains("\\") || path.endsWith(".part")) {
      throw new BanterException("The hub lists a file with an unsafe path '" + path + "'; not downloading it.");
    }
    String label = name.repo() + ":" + HfModels.quantOf(path).orElse(path);
    if (Files.isRegularFile(target)) {
      String have = Download.sha256(target);
      if (expected.isEmpty() || expected.get().equals(have)) {
        io.err.println("Already downloaded: " + path + " (SHA-256 " + have + ").");
        finishHub(io, name, repoDir, path, target);
        return ExitCode.OK;
      }
      io.err.println(target + " has SHA-256 " + have + ", but the hub lists " + expected.get()
          + "; downloading it again.");
    }
    io.err.println("Pulling " + path + " from " + name.repo() + (file.size() >= 0 ? " (" + Units.human(file.size())
        + ")" : "") + ".");
    ProgressBar bar = new ProgressBar(io.err, io.errIsTerminal(), target.getFileName().toString());
    Download d = new Download(hub.httpClient(), hub.resolve(name.repo(), path), target, expected.orElse(null),
        retries, bar::update, io.err).authorization(hub.authorization())
        .refusal(status -> hub.refused(name.repo(), status, "download " + path + " of"));
    String actual;
    try {
      actual = d.run();
    } finally {
      bar.finish();
    }
    io.err.println("Downloaded " + Units.human(Files.size(target)) + ", SHA-256 " + actual
        + (expected.isEmpty() ? " (not verified: the hub lists no SHA-256 for it)" : " (verified)") + ".");
    finishHub(io, name, repoDir, path, target);
    io.err.println("Chat with it: banter chat -m " + (name.quant().isPresent() ? name : label));
    io.out.flush();
    return ExitCode.OK;
  }

  /** Records the file a pull without QUANT chose, and prints the path. */
  private static void finishHub(Io io, HfModels.Name name, Path repoDir, String path, Path target) throws IOException {
    if (name.quant().isEmpty()) {
      Files.write(repoDir.resolve(HfModels.DEFAULT_FILE), (path + "\n").getBytes(StandardCharsets.UTF_8));
    }
    io.out.println(target);
  }

  private static String firstQuant(Collection<String> paths) {
    for (String p : paths) {
      if (HfModels.isModel(p) && HfModels.split(p).count() == 1 && HfModels.quantOf(p).isPresent()) {
        return HfModels.quantOf(p).get();
      }
    }
    return "Q4_K_M";
  }

  private static URI uri(String text) {
    try {
      URI u = new URI(text);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
        throw new UsageException("URL must be an http or https address, got '" + Download.redacted(u) + "'");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new UsageException("not a URL (" + e.getReason() + " at character " + (e.getIndex() + 1)
          + "); quote it, and percent-encode spaces");
    }
  }

  private static String lastSegment(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    String decoded = URLDecoder.decode(last, StandardCharsets.UTF_8);
    if (decoded.isEmpty()) {
      throw new UsageException("the URL names no file; pass --name FILE");
    }
    return decoded;
  }

  private static void checkName(String n) {
    if (n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/") || n.contains("\\") || n.contains("\0")
        || n.endsWith(".part")) {
      throw new UsageException("'" + n + "' cannot be a model file name; pass --name FILE");
    }
  }
}

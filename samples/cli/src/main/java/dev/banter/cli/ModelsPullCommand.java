package dev.banter.cli;

import dev.banter.api.BanterException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code banter models pull URL}: a resumable, verified download into the model cache. */
@Command(name = "pull", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Download a GGUF file into the cache directory, with a progress bar. An interrupted "
        + "download resumes where it stopped (NAME.part is kept; run the same command again). With "
        + "--sha256 the file is verified, and a mismatch is discarded. Prints the file's path."})
final class ModelsPullCommand implements Callable<Integer> {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  @ParentCommand
  ModelsCommand parent;

  @Parameters(paramLabel = "URL", description = "Where to download from (http or https).")
  String url;

  @Option(names = "--sha256", paramLabel = "HEX", description = "The expected SHA-256 of the file (64 hex digits).")
  String sha256;

  @Option(names = "--dir", paramLabel = "DIR", description = "Download here instead of the cache directory.")
  Path dir;

  @Option(names = "--name", paramLabel = "FILE", description = "The file name (default: the URL's last path segment).")
  String name;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
      description = "How often to resume an interrupted transfer before giving up (default ${DEFAULT-VALUE}).")
  int retries;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Io io = parent.root.io;
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

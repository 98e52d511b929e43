package dev.banter.samples.demo;

import dev.banter.api.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The demo model bundled with Banter's samples: {@code banter-demo-fortunes-q8_0.gguf}, a 7 MB
 * llama-architecture model trained on Debian's fortunes to answer in a {@code User:} /
 * {@code Banter:} format — silly and short, but instant on any machine. The local engine maps
 * model files, so the bundled copy is written once to a cache directory and its path handed out.
 * Thread-safe.
 *
 * <pre>{@code
 * ChatModel model = Banter.builder().backend("local")
 *     .set("model", DemoModel.path().toString()).build();
 * }</pre>
 */
public final class DemoModel {
  /** The model file's name. */
  public static final String FILE_NAME = "banter-demo-fortunes-q8_0.gguf";
  /** SHA-256 of the model file. */
  public static final String SHA256 = "bd4a71a39d7039b0043700283c55ee3130dbc698f15742714e6f8abf95371005";
  /** The model's context window, in tokens. */
  public static final int CONTEXT_LENGTH = 256;
  /** A stop sequence that ends an answer before the model starts the user's next line. */
  public static final String STOP = "User:";

  private DemoModel() {}

  /**
   * The path of the demo model in the cache directory ({@code $BANTER_HOME/models}, else
   * {@code ~/.cache/banter/models}), written there from the jar on first use.
   *
   * @throws ModelLoadException if the cache directory cannot be written
   */
  public static synchronized Path path() {
    String home = System.getenv("BANTER_HOME");
    Path dir = home != null && !home.isEmpty()
        ? Paths.get(home, "models")
        : Paths.get(System.getProperty("user.home"), ".cache", "banter", "models");
    return extractTo(dir);
  }

  /** Writes the demo model into {@code dir} unless an intact copy is there, and returns its path. */
  public static synchronized Path extractTo(Path dir) {
    Path target = dir.resolve(FILE_NAME);
    try {
      if (Files.isRegularFile(target) && SHA256.equals(sha256(target))) {
        return target;
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, FILE_NAME, ".part");
      try (InputStream in = DemoModel.class.getResourceAsStream(FILE_NAME);
           OutputStream out = Files.newOutputStream(tmp)) {
        if (in == null) {
          throw new ModelLoadException("The demo model is missing from the banter-demo-model jar.", FILE_NAME, -1);
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new ModelLoadException("Cannot write the demo model to " + dir + ": " + e.getMessage()
          + ". Set BANTER_HOME to a writable directory.", target.toString(), -1, e);
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      byte[] buf = new byte[1 << 16];
      while (in.read(buf) > 0) {
        // the digest stream does the work
      }
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : md.digest()) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}

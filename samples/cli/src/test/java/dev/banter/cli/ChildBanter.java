package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code banter args...} in a child JVM on this test's class path, for the commands that end
 * the process themselves ({@code eval}, {@code bench}).
 */
final class ChildBanter {
  private ChildBanter() {}

  /** Exit code and standard output; fails the test if the child outlives {@code seconds}. */
  static String[] run(long seconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    assertTrue(ended, "banter " + String.join(" ", args) + " still running after " + seconds + " s");
    return new String[] {String.valueOf(p.exitValue()), out};
  }
}

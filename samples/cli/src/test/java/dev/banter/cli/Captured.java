package dev.banter.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** An output stream tests read while a command still writes to it, and wait on. */
final class Captured extends OutputStream {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream print = new PrintStream(this, true, StandardCharsets.UTF_8);

  @Override
  public synchronized void write(int b) {
    bytes.write(b);
    notifyAll();
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    bytes.write(b, off, len);
    notifyAll();
  }

  /** Everything written so far, as bytes. */
  synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  /** Everything written so far. */
  synchronized String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Waits until the text satisfies {@code condition}; fails with the text after {@code limit}. */
  synchronized String await(Predicate<String> condition, Duration limit, String what) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.test(text())) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out waiting for " + what + "; output so far:\n" + text());
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return text();
  }

  String await(String substring) throws InterruptedException {
    return await(t -> t.contains(substring), Duration.ofSeconds(60), "'" + substring + "'");
  }
}

package dev.banter.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A download progress bar on standard error, redrawn in place at most ten times a second; only on
 * a terminal, where a carriage return moves back to the start of the line.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final boolean enabled;
  private final String label;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private long startBytes = -1;

  ProgressBar(PrintStream err, boolean enabled, String label) {
    this.err = err;
    this.enabled = enabled;
    this.label = label;
  }

  /** Shows that {@code have} of {@code total} bytes (-1 when unknown) are there. */
  void update(long have, long total) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (startBytes < 0) {
      startBytes = have;
    }
    if (now - lastDraw < REDRAW_NANOS && have != total) {
      return;
    }
    lastDraw = now;
    double seconds = (now - startNanos) / 1e9;
    double rate = seconds > 0 ? (have - startBytes) / seconds : 0;
    err.print("\r" + render(label, have, total, rate) + "\033[K");
    err.flush();
  }

  /** Ends the bar's line. */
  void finish() {
    if (enabled) {
      err.println();
      err.flush();
    }
  }

  /** {@code model.gguf [=========>          ]  45%  3.1 MB / 7.0 MB  2.3 MB/s}. */
  static String render(String label, long have, long total, double bytesPerSecond) {
    StringBuilder sb = new StringBuilder(label).append(' ');
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, have * WIDTH / total);
      sb.append('[');
      for (int i = 0; i < WIDTH; i++) {
        sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
      }
      sb.append(String.format(Locale.ROOT, "] %3d%%  %s / %s", have * 100 / total, Units.human(have), Units.human(total)));
    } else {
      sb.append(Units.human(have));
    }
    if (bytesPerSecond > 0) {
      sb.append("  ").append(Units.human((long) bytesPerSecond)).append("/s");
    }
    return sb.toString();
  }
}

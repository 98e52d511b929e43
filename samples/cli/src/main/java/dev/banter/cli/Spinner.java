package dev.banter.cli;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A spinner with the elapsed time on standard error while something slow runs (a model being
 * mapped and validated). Shown only when standard error is a terminal; the line is erased when
 * the work ends, so nothing of it stays in the scrollback.
 */
final class Spinner {
  private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  private static final long TICK_MILLIS = 100;

  private Spinner() {}

  /** Runs {@code work} on this thread, spinning on another. */
  static <T> T during(Io io, boolean show, String label, Supplier<T> work) {
    if (!show || !io.errIsTerminal()) {
      return work.get();
    }
    CountDownLatch done = new CountDownLatch(1);
    long start = System.nanoTime();
    Thread spinner = new Thread(() -> {
      int tick = 0;
      try {
        while (!done.await(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
          io.err.print("\r" + frame(tick++, label, (System.nanoTime() - start) / 1_000_000));
          io.err.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "banter-spinner");
    spinner.setDaemon(true);
    spinner.start();
    try {
      return work.get();
    } finally {
      done.countDown();
      try {
        spinner.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      io.err.print("\r\033[K");
      io.err.flush();
    }
  }

  /** One frame: a turning glyph, the label and the seconds so far. */
  static String frame(int tick, String label, long elapsedMillis) {
    int i = Math.floorMod(tick, FRAMES.length());
    return FRAMES.charAt(i) + " " + label + "… " + String.format(Locale.ROOT, "%.1f s", elapsedMillis / 1000.0);
  }
}

package dev.banter.openai.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything logged through java.util.logging (Banter's own loggers and Vert.x, which
 * logs through JUL when no other logging library is present), at every level, while open.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private static final String[] LOGGERS = {"", "dev.banter", "io.vertx", "io.netty"};
  private final List<String> lines = new ArrayList<>();
  private final Level[] previous = new Level[LOGGERS.length];
  private final SimpleFormatter formatter = new SimpleFormatter();

  public LogCapture() {
    setLevel(Level.ALL);
    for (int i = 0; i < LOGGERS.length; i++) {
      Logger l = Logger.getLogger(LOGGERS[i]);
      previous[i] = l.getLevel();
      if (i > 0) {
        l.setLevel(Level.ALL);
      }
    }
    Logger.getLogger("").addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    StringBuilder sb = new StringBuilder(formatter.format(record));
    if (record.getThrown() != null) {
      StringWriter w = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(w));
      sb.append(w);
    }
    lines.add(sb.toString());
  }

  public synchronized String text() {
    return String.join("\n", lines);
  }

  public synchronized int size() {
    return lines.size();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
    for (int i = 1; i < LOGGERS.length; i++) {
      Logger.getLogger(LOGGERS[i]).setLevel(previous[i]);
    }
  }
}

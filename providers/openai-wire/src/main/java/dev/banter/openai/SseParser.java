package dev.banter.openai;

import dev.banter.api.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An incremental {@code text/event-stream} parser that follows the HTML standard (§9.2.6): lines
 * end with CR, LF or CRLF; {@code data} lines join with LF; comments and unknown fields are
 * ignored; {@code event}, {@code id} and {@code retry} are honoured; one leading BOM is dropped;
 * an event is dispatched at a blank line and an unfinished one is dropped at the end. Bytes may
 * be fed in packets split anywhere, including inside a UTF-8 sequence or between CR and LF:
 * line ends never occur inside a multi-byte sequence, so each line is decoded whole.
 *
 * <p>Memory is bounded: a line, or the data of one event, longer than {@code maxEventBytes}
 * fails with a {@link ProtocolException} as soon as the limit is crossed. Not thread-safe; one
 * parser per response.
 */
final class SseParser {
  private final int maxEventBytes;
  private final String backendId;
  private final Consumer<SseEvent> sink;

  private byte[] line = new byte[512];
  private int lineLength;
  private boolean afterCr;
  private boolean firstLine = true;

  private final StringBuilder data = new StringBuilder();
  private String eventType = "";
  private String lastEventId = "";
  private long retryMillis = -1;

  SseParser(int maxEventBytes, String backendId, Consumer<SseEvent> sink) {
    if (maxEventBytes < 16) {
      throw new IllegalArgumentException("maxEventBytes must be >= 16, got " + maxEventBytes);
    }
    this.maxEventBytes = maxEventBytes;
    this.backendId = backendId;
    this.sink = sink;
  }

  /**
   * Parses the next packet, dispatching every event it completes.
   *
   * @throws ProtocolException when a line or an event's data exceeds the size limit
   */
  void feed(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      byte b = bytes[i];
      if (b == '\n') {
        if (afterCr) {
          afterCr = false;
        } else {
          endLine();
        }
        i++;
        continue;
      }
      if (b == '\r') {
        afterCr = true;
        endLine();
        i++;
        continue;
      }
      afterCr = false;
      int start = i;
      while (i < end && bytes[i] != '\n' && bytes[i] != '\r') {
        i++;
      }
      append(bytes, start, i - start);
    }
  }

  void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /**
   * Marks the end of the stream. Per the standard, an event not yet closed by a blank line is
   * dropped.
   */
  void end() {
    lineLength = 0;
    data.setLength(0);
    eventType = "";
  }

  /** The reconnection time the stream asked for with {@code retry:}, or -1 when it did not. */
  long retryMillis() {
    return retryMillis;
  }

  /** Whether undispatched data is pending (a line or an event not yet closed). */
  boolean hasPending() {
    return lineLength > 0 || data.length() > 0;
  }

  private void append(byte[] bytes, int start, int count) {
    long total = (long) lineLength + count + data.length();
    if (total > maxEventBytes) {
      lineLength = 0;
      data.setLength(0);
      throw new ProtocolException("A server-sent event from backend '" + backendId + "' is larger than "
          + maxEventBytes + " bytes (the 'max-event-size' setting); the stream was dropped. Raise the limit if the"
          + " server legitimately sends events this large.", backendId, null);
    }
    if (lineLength + count > line.length) {
      int size = line.length;
      while (size < lineLength + count) {
        size = Math.min(maxEventBytes, size * 2);
      }
      byte[] bigger = new byte[size];
      System.arraycopy(line, 0, bigger, 0, lineLength);
      line = bigger;
    }
    System.arraycopy(bytes, start, line, lineLength, count);
    lineLength += count;
  }

  private void endLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (line.length > 64 * 1024) {
      line = new byte[512];
    }
    if (firstLine) {
      firstLine = false;
      if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
        text = text.substring(1);
      }
    }
    processLine(text);
  }

  private void processLine(String text) {
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field;
    String value;
    if (colon < 0) {
      field = text;
      value = "";
    } else {
      field = text.substring(0, colon);
      int from = colon + 1;
      if (from < text.length() && text.charAt(from) == ' ') {
        from++;
      }
      value = text.substring(from);
    }
    switch (field) {
      case "event" -> eventType = value;
      case "data" -> data.append(value).append('\n');
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.length() < 19 && isAsciiDigits(value)) {
          retryMillis = Long.parseLong(value);
        }
      }
    }
  }

  private static boolean isAsciiDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private void dispatch() {
    if (data.length() == 0) {
      eventType = "";
      return;
    }
    data.setLength(data.length() - 1);
    SseEvent event = new SseEvent(eventType.isEmpty() ? "message" : eventType, data.toString(), lastEventId);
    data.setLength(0);
    eventType = "";
    sink.accept(event);
  }
}

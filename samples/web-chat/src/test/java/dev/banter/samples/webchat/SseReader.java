package dev.banter.samples.webchat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads server-sent events as the HTML standard frames them: field lines, a blank line ends an event. */
final class SseReader implements AutoCloseable {
  /** One event: its type and its data parsed as JSON. */
  static final class Event {
    final String type;
    final JsonObject data;

    Event(String type, JsonObject data) {
      this.type = type;
      this.data = data;
    }

    @Override
    public String toString() {
      return type + " " + data.encode();
    }
  }

  final int status;
  final String contentType;
  private final BufferedReader in;

  SseReader(int status, String contentType, BufferedReader in) {
    this.status = status;
    this.contentType = contentType;
    this.in = in;
  }

  /** The next event, blocking; null at the end of the stream. */
  Event next() {
    String type = "message";
    StringBuilder data = null;
    try {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data != null) {
            return new Event(type, new JsonObject(data.toString()));
          }
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        if (field.equals("event")) {
          type = value;
        } else if (field.equals("data")) {
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every event to the end of the stream. */
  List<Event> all() {
    List<Event> out = new ArrayList<>();
    for (Event e; (e = next()) != null; ) {
      out.add(e);
    }
    return out;
  }

  /** The text of the delta events among {@code events}. */
  static String text(List<Event> events) {
    StringBuilder sb = new StringBuilder();
    for (Event e : events) {
      if (e.type.equals("delta")) {
        sb.append(e.data.getString("text"));
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

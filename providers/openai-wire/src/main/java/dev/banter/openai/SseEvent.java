package dev.banter.openai;

import java.util.Objects;

/** One dispatched server-sent event: its type ({@code message} by default), data and last event id. */
final class SseEvent {
  final String type;
  final String data;
  final String lastEventId;

  SseEvent(String type, String data, String lastEventId) {
    this.type = type;
    this.data = data;
    this.lastEventId = lastEventId;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SseEvent e)) {
      return false;
    }
    return type.equals(e.type) && data.equals(e.data) && lastEventId.equals(e.lastEventId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, data, lastEventId);
  }

  @Override
  public String toString() {
    return "SseEvent{" + type + ", data=" + Json.excerpt(data, 200) + (lastEventId.isEmpty() ? "" : ", id=" + lastEventId)
        + '}';
  }
}

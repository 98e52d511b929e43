package dev.banter.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.Message;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The responses kept for {@code GET /v1/responses/{id}} and {@code previous_response_id}: in
 * memory only, bounded by an estimate of their size in bytes, least recently used evicted
 * first. A restart forgets them all. Thread-safe.
 */
final class ResponseStore {
  /** A kept response: its JSON, and the conversation it ended (without instructions) to continue from. */
  record Stored(ObjectNode response, List<Message> conversation, long bytes) {}

  private final long maxBytes;
  private final Map<String, Stored> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /** @param maxBytes the estimated bytes kept at most; 0 keeps nothing */
  ResponseStore(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  boolean enabled() {
    return maxBytes > 0;
  }

  /** Keeps {@code response} under its {@code id}; one larger than the whole store is not kept. */
  synchronized void put(String id, ObjectNode response, List<Message> conversation) {
    long size = Json.write(response).length;
    for (Message m : conversation) {
      size += 64 + 2L * m.content().length();
      for (var call : m.toolCalls()) {
        size += 64 + 2L * call.arguments().length();
      }
    }
    if (size > maxBytes) {
      return;
    }
    Stored old = entries.put(id, new Stored(response, List.copyOf(conversation), size));
    bytes += size - (old == null ? 0 : old.bytes());
    Iterator<Stored> eldest = entries.values().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  synchronized Optional<Stored> get(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  synchronized boolean remove(String id) {
    Stored old = entries.remove(id);
    if (old != null) {
      bytes -= old.bytes();
    }
    return old != null;
  }

  synchronized int size() {
    return entries.size();
  }
}

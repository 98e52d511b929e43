package dev.banter.samples.webchat;

import dev.banter.api.Conversation;
import java.util.UUID;

/**
 * What one browser session owns: its {@link Conversation} and the answer being written, if any.
 * One answer at a time, as in the conversation itself. Thread-safe.
 */
final class ChatSession {
  final Conversation conversation;
  private Turn current;

  ChatSession(Conversation conversation) {
    this.conversation = conversation;
  }

  /** Starts a turn, or returns null when an answer is still being written. */
  synchronized Turn begin(String message) {
    if (current != null) {
      return null;
    }
    current = new Turn(UUID.randomUUID().toString(), message);
    return current;
  }

  /** The running turn with this id, or null. */
  synchronized Turn find(String id) {
    return current != null && current.id.equals(id) ? current : null;
  }

  synchronized Turn current() {
    return current;
  }

  /** Forgets {@code turn} if it is the current one. */
  synchronized void end(Turn turn) {
    if (current == turn) {
      current = null;
    }
  }
}

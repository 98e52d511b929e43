package dev.banter.samples.webchat;

import dev.banter.api.ChatStream;

/**
 * One answer being written: created by {@code POST /api/chat}, started when the page opens its
 * event stream, ended by the model or by the stop button. Stopping before the stream started
 * means it never starts. Thread-safe.
 */
final class Turn {
  final String id;
  final String message;
  private ChatStream stream;
  private boolean attached;
  private boolean stopRequested;

  Turn(String id, String message) {
    this.id = id;
    this.message = message;
  }

  /** Claims the turn for the one event stream that may deliver it; false if one already did. */
  synchronized boolean attach() {
    if (attached) {
      return false;
    }
    attached = true;
    return true;
  }

  synchronized boolean isAttached() {
    return attached;
  }

  /** Records the running stream; cancels it at once when the stop came first. */
  void started(ChatStream s) {
    boolean stop;
    synchronized (this) {
      stream = s;
      stop = stopRequested;
    }
    if (stop) {
      s.cancel();
    }
  }

  /** Stops the generation: the stream ends with its partial answer, marked cancelled. */
  void stop() {
    ChatStream s;
    synchronized (this) {
      stopRequested = true;
      s = stream;
    }
    if (s != null) {
      s.cancel();
    }
  }

  synchronized boolean isStopRequested() {
    return stopRequested;
  }
}

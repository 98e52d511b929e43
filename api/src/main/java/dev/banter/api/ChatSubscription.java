package dev.banter.api;

/**
 * The demand side of a {@link ChatStream} subscription: a listener asks for chunks with
 * {@link #request(long)} and is sent no more than it asked for. Thread-safe; may be called from
 * any thread, including from inside the listener's callbacks.
 *
 * <pre>{@code
 * stream.subscribe(new ChatListener() {
 *   ChatSubscription s;
 *   public void onSubscribe(ChatSubscription s) { this.s = s; s.request(1); }
 *   public void onChunk(ChatChunk c) { render(c); s.request(1); }
 * });
 * }</pre>
 */
public interface ChatSubscription {
  /**
   * Asks for {@code n} more chunks. Demand adds up; {@code Long.MAX_VALUE} means unbounded.
   *
   * @throws IllegalArgumentException if {@code n <= 0}
   */
  void request(long n);

  /** Cancels the stream, the same as {@link ChatStream#cancel()}. */
  void cancel();
}

package dev.banter.api;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives a {@link ChatStream}'s chunks as they are generated. Callbacks for one stream never
 * run concurrently and arrive in order: {@code onSubscribe}, then {@code onChunk} no more often
 * than requested, then exactly one of {@code onComplete} (also after a cancel, with the partial
 * answer) or {@code onError}. Callbacks may run on a backend's thread: keep them short.
 *
 * <pre>{@code
 * model.stream(ChatRequest.of("Hi")).subscribe(ChatListener.onText(System.out::print));
 * }</pre>
 */
public interface ChatListener {
  /** Called first. The default asks for every chunk at once (no backpressure). */
  default void onSubscribe(ChatSubscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  /** A new chunk, sent only while demand is outstanding. */
  void onChunk(ChatChunk chunk);

  /** The stream ended normally or was cancelled; the response holds everything generated. */
  default void onComplete(ChatResponse response) {}

  /** The stream failed; no further callback follows. */
  default void onError(BanterException error) {}

  /** A listener that hands the answer text of each chunk to {@code text}, asking for all chunks. */
  static ChatListener onText(Consumer<String> text) {
    Objects.requireNonNull(text, "text");
    return chunk -> {
      if (!chunk.text().isEmpty()) {
        text.accept(chunk.text());
      }
    };
  }
}

package dev.banter.api;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives a {@link ChatStream}'s chunks as they are generated. Callbacks for one stream never
 * run concurrently and arrive in order: {@code onSubscribe}, then {@code onChunk} no more often
 * than requested, then exactly one of {@code onComplete} (also after a cancel, with the partial
 * answer) or {@code onError}. Callbacks may run on a backend's thread: keep them short. A
 * callback that throws cancels the stream, which then ends with an error.
 *
 * <p>Failures are never dropped in silence: {@link #onError} has no default, so every listener
 * says what a failure means to it.
 *
 * <pre>{@code
 * model.stream(ChatRequest.of("Hi")).subscribe(ChatListener.onText(System.out::print,
 *     error -> System.err.println("\nfailed: " + error.getMessage())));
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
  void onError(BanterException error);

  /** A listener handing every chunk to {@code chunks} and a failure to {@code error}, asking for all chunks. */
  static ChatListener of(Consumer<? super ChatChunk> chunks, Consumer<? super BanterException> error) {
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(error, "error");
    return new ChatListener() {
      @Override
      public void onChunk(ChatChunk chunk) {
        chunks.accept(chunk);
      }

      @Override
      public void onError(BanterException e) {
        error.accept(e);
      }
    };
  }

  /**
   * A listener handing the answer text of each chunk to {@code text} and a failure to
   * {@code error}, asking for all chunks.
   */
  static ChatListener onText(Consumer<String> text, Consumer<? super BanterException> error) {
    Objects.requireNonNull(text, "text");
    return of(chunk -> {
      if (!chunk.text().isEmpty()) {
        text.accept(chunk.text());
      }
    }, error);
  }
}

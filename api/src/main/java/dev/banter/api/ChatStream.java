package dev.banter.api;

import java.util.Iterator;
import java.util.concurrent.CompletionStage;

/**
 * A running generation, delivered chunk by chunk. Consume it once, one way: push with
 * {@link #subscribe(ChatListener)} (with demand-based backpressure), or pull with
 * {@link #iterator()} (blocking). {@link #completion()} may be used alongside either, or alone.
 * Thread-safe. Single use, like OkHttp's {@code Call}: a second subscription fails.
 *
 * <p>{@link #cancel()} stops the backend's work (the local engine within one token; an HTTP
 * connection is closed) and the stream still completes, with {@link FinishReason#CANCELLED} and
 * the partial text and usage. A failure after the first chunk reached the caller is reported as
 * it is: it is never retried, since that would repeat text the caller has already seen.
 *
 * <pre>{@code
 * try (ChatStream stream = model.stream(ChatRequest.of("Tell me a joke."))) {
 *   for (ChatChunk chunk : stream) {
 *     System.out.print(chunk.text());
 *   }
 *   System.out.println("\n" + stream.completion().toCompletableFuture().join().usage());
 * }
 * }</pre>
 */
public interface ChatStream extends Iterable<ChatChunk>, AutoCloseable {
  /**
   * Starts delivering to {@code listener}.
   *
   * @throws IllegalStateException if the stream already has a consumer
   */
  void subscribe(ChatListener listener);

  /**
   * A blocking iterator over the chunks. {@code hasNext()} waits for the next chunk and throws
   * the stream's {@link BanterException} if it failed; it returns false once the stream completed
   * or was cancelled.
   *
   * @throws IllegalStateException if the stream already has a consumer
   */
  @Override
  Iterator<ChatChunk> iterator();

  /**
   * Completes with the final response (also after {@link #cancel()}, then with the partial
   * answer), or exceptionally with a {@link BanterException}. Calling it without a consumer
   * consumes the stream.
   */
  CompletionStage<ChatResponse> completion();

  /**
   * Waits for the end of the stream and returns the final response.
   *
   * @throws BanterException the stream's failure, unwrapped
   */
  ChatResponse await();

  /** Stops the generation. Idempotent; has no effect once the stream ended. */
  void cancel();

  /** Whether {@link #cancel()} was called before the stream ended. */
  boolean isCancelled();

  /** Cancels the stream if it is still running. */
  @Override
  default void close() {
    cancel();
  }
}

package dev.banter.api;

import java.util.Iterator;
import java.util.concurrent.CompletionStage;

/**
 * A running generation, delivered chunk by chunk. It has one consumer: push with
 * {@link #subscribe(ChatListener)} (with demand-based backpressure), pull with
 * {@link #iterator()} (blocking), or let {@link #await()} take everything. A second consumer is
 * refused with an {@link IllegalStateException}. {@link #completion()} only observes: use it
 * alongside any consumer. Thread-safe.
 *
 * <p>{@link #cancel()} stops the backend's work (the local engine within one token; an HTTP
 * connection is closed) and the stream still completes, with {@link FinishReason#CANCELLED}, the
 * partial text, and the tokens used so far where the backend can tell: the local engine always;
 * an HTTP server only when it reported usage before the connection closed (vLLM's continuous
 * usage does), otherwise {@link ChatResponse#usage()} is empty rather than a count of zeros. A failure after the first chunk reached the caller is reported as
 * it is: it is never retried, since that would repeat text the caller has already seen. A stream
 * that nobody reads holds its backend's resources until it is consumed or cancelled; close it
 * (try-with-resources) when leaving a loop early. Banter's streams also cancel themselves when
 * nobody can read them any more — the stream dropped before anyone consumed it, or its iterator
 * dropped before the end, once the garbage collector notices — and when nobody has read for the
 * backend's stall limit (60 s unless set); these are safety nets, not a way to stop a stream.
 *
 * <pre>{@code
 * try (ChatStream stream = model.stream(ChatRequest.of("Tell me a joke."))) {
 *   for (ChatChunk chunk : stream) {
 *     System.out.print(chunk.text());
 *   }
 *   System.out.println("\n" + stream.await().usage());
 * }
 * }</pre>
 */
public interface ChatStream extends Iterable<ChatChunk>, AutoCloseable {
  /**
   * Starts delivering to {@code listener}, this stream's consumer.
   *
   * @throws IllegalStateException if the stream already has a consumer
   */
  void subscribe(ChatListener listener);

  /**
   * A blocking iterator over the chunks; the iterator is this stream's consumer.
   * {@code hasNext()} waits for the next chunk and throws the stream's {@link BanterException} if
   * it failed; it returns false once the stream completed or was cancelled.
   *
   * @throws IllegalStateException if the stream already has a consumer
   */
  @Override
  Iterator<ChatChunk> iterator();

  /**
   * Observes the end of the stream, without consuming it: completes with the final response
   * (also after {@link #cancel()}, then with the partial answer) once the consumer has received
   * the end, or exceptionally with a {@link BanterException}.
   */
  CompletionStage<ChatResponse> completion();

  /**
   * Waits for the end of the stream and returns the final response. When the stream has no
   * consumer yet, this call becomes its consumer and gathers the chunks into the response.
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

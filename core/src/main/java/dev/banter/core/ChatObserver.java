package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import java.time.Duration;

/**
 * Receives the events of every call a Banter {@code ChatModel} makes — request, retries,
 * fallbacks, first token, each chunk, completion, failure — for logging, metrics or tracing
 * (a Micrometer bridge is one implementation). Register with {@code Banter.builder().observer(o)},
 * or through {@code META-INF/services/dev.banter.core.ChatObserver}. Methods are called on the
 * thread doing the work; they must be quick, thread-safe and must not throw (what they throw is
 * logged and ignored).
 *
 * <pre>{@code
 * ChatObserver timing = new ChatObserver() {
 *   public void onFirstToken(RequestInfo r, String backendId, Duration ttft) {
 *     System.out.println(backendId + " answered after " + ttft.toMillis() + " ms");
 *   }
 * };
 * }</pre>
 */
public interface ChatObserver {
  /** A call started. */
  default void onRequest(RequestInfo request) {}

  /** An attempt failed before the first token and will be retried after {@code delay}. */
  default void onRetry(RequestInfo request, String backendId, int attempt, Duration delay, BanterException cause) {}

  /** A backend gave up before the first token and the next one in the fallback chain is tried. */
  default void onFallback(RequestInfo request, String fromBackend, String toBackend, BanterException cause) {}

  /** The first chunk arrived, {@code timeToFirstToken} after the call started. */
  default void onFirstToken(RequestInfo request, String backendId, Duration timeToFirstToken) {}

  /** A chunk reached the caller (streaming calls only). */
  default void onChunk(RequestInfo request, ChatChunk chunk) {}

  /** The call ended with an answer (also a cancelled stream's partial one). */
  default void onComplete(RequestInfo request, ChatResponse response) {}

  /** The call failed. */
  default void onError(RequestInfo request, BanterException error) {}
}

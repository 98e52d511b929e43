package dev.banter.spi;

import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import java.util.List;
import java.util.OptionalInt;

/**
 * A configured connection to one kind of model: the local engine with a loaded GGUF file, a set
 * of GPU inference servers, a remote API. A plugin writes {@link #stream}, says what it can do and
 * which models it has; the rest has defaults. Core gives it requests whose persona is already
 * rendered into the messages and options, and wraps it with retries, circuit breaking and
 * fallback; a backend itself does none of that. Implementations must be thread-safe: one
 * instance serves concurrent requests until {@link #close()}.
 *
 * <pre>{@code
 * try (Backend b = provider.create(BackendConfig.builder("local").set("model", "tiny.gguf").build())) {
 *   ChatResponse r = b.chat(ChatRequest.of("Hi"));
 * }
 * }</pre>
 */
public interface Backend extends AutoCloseable {
  /** The id of the provider that created this backend, for example {@code local}. */
  String id();

  BackendCapabilities capabilities();

  /**
   * Answers a request. The default waits for {@link #stream} to end; a backend with a cheaper
   * blocking path overrides it.
   *
   * @throws dev.banter.api.BanterException the specific subtype for what failed
   */
  default ChatResponse chat(ChatRequest request) {
    return stream(request).await();
  }

  /**
   * Starts an answer as a stream: a {@link ChatStreamEmitter}, or from {@link TokenStream} for a
   * backend that produces text token by token. Failures before the first chunk may be thrown here
   * or reported through the stream; core handles both.
   */
  ChatStream stream(ChatRequest request);

  /**
   * The exact number of tokens these messages take as a prompt (chat template included), when the
   * backend can tell; empty (the default) when it cannot, and core then estimates.
   */
  default OptionalInt countTokens(List<Message> messages) {
    return OptionalInt.empty();
  }

  /** The models this backend can serve. */
  List<ModelInfo> models();

  /** Releases files, threads and connections. Idempotent; the default has nothing to release. */
  @Override
  default void close() {}
}

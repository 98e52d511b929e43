package dev.banter.api;

import java.util.List;
import java.util.Optional;

/**
 * The conversation entry point an application holds; thread-safe, share one instance. Get one
 * from {@code Banter.builder()} (banter-core); it stays usable until {@link #close()}.
 *
 * <pre>{@code
 * ChatModel model = Banter.builder().backend("local").set("model", path).persona("witty").build();
 * ChatResponse r = model.chat(ChatRequest.of("Tell me about Mars."));
 * System.out.println(r.text());
 * }</pre>
 */
public interface ChatModel extends AutoCloseable {
  /**
   * Answers a request, blocking until the whole answer is there.
   *
   * @throws BanterException on failure, after any retries and fallbacks; a retried request may
   *     already have been billed by a remote backend
   */
  ChatResponse chat(ChatRequest request);

  /**
   * Starts streaming an answer. Errors before the first chunk (after retries and fallbacks) are
   * reported through the stream, not thrown here, except for an invalid request.
   */
  ChatStream stream(ChatRequest request);

  /** Answers one user message. */
  default ChatResponse chat(String userMessage) {
    return chat(ChatRequest.of(userMessage));
  }

  /** Streams the answer to one user message. */
  default ChatStream stream(String userMessage) {
    return stream(ChatRequest.of(userMessage));
  }

  /** Starts a conversation with these settings. */
  Conversation conversation(ConversationSettings settings);

  /** Starts a conversation with the default persona and the backend's context as budget. */
  default Conversation conversation() {
    return conversation(ConversationSettings.defaults());
  }

  /** The personas this model knows: the built-in ones and any added. */
  List<Persona> personas();

  /**
   * The persona used when a request names none; empty when requests without a persona reach the
   * backend unchanged (for example behind an OpenAI-compatible server, where clients bring their
   * own system prompts).
   */
  Optional<Persona> defaultPersona();

  /** The models the primary backend offers. */
  List<ModelInfo> models();

  /** Releases the backends (model files, connections). Further calls fail. */
  @Override
  void close();
}

package dev.banter.api;

import java.util.List;
import java.util.Optional;

/**
 * A multi-turn chat bound to a persona and a model. It keeps the history, sends it with every
 * turn, and evicts the oldest turns when the history outgrows the token budget; eviction never
 * drops the system prompt and never separates a tool call from its result. Thread-safe: turns
 * are serialised, so a second {@code send} waits for the first to finish.
 *
 * <pre>{@code
 * Conversation chat = model.conversation(ConversationSettings.builder().persona("witty").build());
 * System.out.println(chat.send("Who built the pyramids?").text());
 * System.out.println(chat.send("And how long did it take?").text());
 * chat.switchPersona("regular");
 * }</pre>
 */
public interface Conversation {
  /** Sends a user message and returns the answer, which joins the history. */
  ChatResponse send(String userMessage);

  /**
   * Sends a message (a user message, or a {@link Role#TOOL} result answering the last assistant
   * tool call) and returns the answer, which joins the history.
   */
  ChatResponse send(Message message);

  /**
   * Sends a user message and streams the answer. The answer joins the history when the stream
   * completes, also when it was cancelled (with the partial text); the next turn waits for that,
   * so consume the stream to its end or cancel it — a stream left unread holds the conversation.
   */
  ChatStream stream(String userMessage);

  /** The history, oldest first, without the persona's system prompt; a snapshot. */
  List<Message> history();

  /** Replaces the history (for example one saved earlier with {@link #history()}). */
  void restore(List<Message> history);

  /** Forgets the history; the persona stays. */
  void reset();

  /** The persona this conversation talks to; empty when it talks to the bare model. */
  Optional<Persona> persona();

  /**
   * Talks to another persona from the next turn on; the history stays.
   *
   * @throws ConfigurationException listing the known personas when {@code personaId} is unknown
   */
  void switchPersona(String personaId);

  /** The most tokens a rendered prompt may use, reserve for the answer included. */
  int tokenBudget();

  /** The size of the current prompt (persona, history) in tokens, exact where the backend can count. */
  int promptTokens();
}

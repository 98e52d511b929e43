package dev.banter.cli;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import dev.banter.api.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The chat command's conversation: history, persona, sampling options, one streamed turn at a
 * time, and a cancel that stops the turn in progress. Before each turn the oldest exchanges are
 * dropped until persona, history and the new message fit the model's context with room for the
 * answer; an exchange goes whole, so a tool call never loses its result.
 *
 * <p>A {@link Conversation} keeps the token accounting (exact where the backend can count) and
 * the persona, but the turns go through {@link ChatModel#stream(ChatRequest)}: a conversation's
 * turns carry no {@link GenerationOptions}, and the command line's sampling options (and the demo
 * model's stop sequence) must reach every turn.
 */
final class ChatSession {
  private static final int DEFAULT_RESERVE = 512;

  private final ChatModel model;
  private final GenerationOptions options;
  private final String system;
  private final Conversation ledger;
  private final List<Message> history = new ArrayList<>();
  private volatile ChatStream current;

  /**
   * @param system an instruction added to the persona's system prompt, or null
   */
  ChatSession(ChatModel model, GenerationOptions options, String system) {
    this.model = model;
    this.options = options;
    this.system = system;
    ConversationSettings.Builder s = ConversationSettings.builder();
    if (system != null) {
      s.system(system);
    }
    this.ledger = model.conversation(s.build());
  }

  /**
   * Sends {@code text} and streams the answer to {@code onText}; the exchange joins the history
   * when the answer ends, also when it was cancelled (with the partial text).
   *
   * @throws dev.banter.api.BanterException when the backend fails; the history is left as it was
   */
  ChatResponse turn(String text, Consumer<String> onText) {
    List<Message> window = window(Message.user(text));
    ChatRequest.Builder request = ChatRequest.builder();
    if (system != null) {
      request.system(system);
    }
    for (Message m : window) {
      request.message(m);
    }
    ledger.persona().ifPresent(p -> request.persona(p.id()));
    ChatStream stream = model.stream(request.options(options).build());
    current = stream;
    ChatResponse response;
    try {
      for (ChatChunk chunk : stream) {
        if (!chunk.text().isEmpty()) {
          onText.accept(chunk.text());
        }
      }
      response = stream.await();
    } finally {
      current = null;
    }
    window.add(response.message());
    synchronized (history) {
      history.clear();
      history.addAll(window);
    }
    return response;
  }

  /** Stops the turn in progress, if any; it ends with the text so far. */
  void cancel() {
    ChatStream s = current;
    if (s != null) {
      s.cancel();
    }
  }

  /** The history, oldest first, without the system prompt. */
  List<Message> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  void restore(List<Message> messages) {
    synchronized (history) {
      history.clear();
      history.addAll(messages);
    }
  }

  void reset() {
    restore(List.of());
  }

  /** The current persona; empty when the model is talked to bare. */
  java.util.Optional<Persona> persona() {
    return ledger.persona();
  }

  /**
   * @throws dev.banter.api.ConfigurationException listing the known personas when {@code id} is unknown
   */
  void switchPersona(String id) {
    ledger.switchPersona(Objects.requireNonNull(id, "id"));
  }

  /** The most tokens a prompt may take, the answer's reserve included. */
  int tokenBudget() {
    return ledger.tokenBudget();
  }

  /** The history plus {@code next}, without the oldest exchanges that no longer fit. */
  private List<Message> window(Message next) {
    List<Message> all = new ArrayList<>(history());
    all.add(next);
    int budget = ledger.tokenBudget();
    int reserve = Math.min(options.maxTokens().orElse(DEFAULT_RESERVE), budget / 2);
    int from = 0;
    while (from < all.size() - 1 && promptTokens(all.subList(from, all.size())) > budget - reserve) {
      from = nextExchange(all, from);
    }
    return new ArrayList<>(all.subList(from, all.size()));
  }

  /** The start of the exchange after the one at {@code from}: the next user message. */
  private static int nextExchange(List<Message> all, int from) {
    int i = from + 1;
    while (i < all.size() - 1 && all.get(i).role() != Role.USER) {
      i++;
    }
    return i;
  }

  private int promptTokens(List<Message> messages) {
    ledger.restore(messages);
    return ledger.promptTokens();
  }
}

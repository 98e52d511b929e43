package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import dev.banter.spi.ChatStreamEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * A conversation over a {@link BanterChatModel}. One turn at a time: a turn holds a permit from
 * sending until its answer is in the history (for a stream, until the stream ended). Before each
 * turn the history is cut to the token budget by {@link ConversationWindow}; what is cut is
 * forgotten.
 */
final class DefaultConversation implements Conversation {
  private final BanterChatModel model;
  private final ConversationSettings settings;
  private final Semaphore turn = new Semaphore(1, true);
  private final List<Message> history = new ArrayList<>();
  private volatile Persona persona;

  DefaultConversation(BanterChatModel model, Persona persona, ConversationSettings settings) {
    this.model = model;
    this.persona = persona;
    this.settings = settings;
  }

  @Override
  public ChatResponse send(String userMessage) {
    return send(Message.user(userMessage));
  }

  @Override
  public ChatResponse send(Message message) {
    Objects.requireNonNull(message, "message");
    acquire();
    try {
      List<Message> window = window(message);
      ChatResponse response = model.chat(request(window));
      commit(window, response.message());
      return response;
    } finally {
      turn.release();
    }
  }

  @Override
  public ChatStream stream(String userMessage) {
    Message message = Message.user(Objects.requireNonNull(userMessage, "userMessage"));
    acquire();
    ChatStreamEmitter stream;
    List<Message> window;
    try {
      window = window(message);
      stream = model.start(request(window));
    } catch (RuntimeException e) {
      turn.release();
      throw e;
    }
    stream.whenDone().whenComplete((response, error) -> {
      if (response != null) {
        commit(window, response.message());
      }
      turn.release();
    });
    return stream.handle();
  }

  private void acquire() {
    try {
      turn.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BanterException("Interrupted while waiting for the previous turn of the conversation to end.", e);
    }
  }

  /** The history plus {@code next}, cut to the budget. */
  private List<Message> window(Message next) {
    List<Message> all;
    synchronized (history) {
      all = new ArrayList<>(history);
    }
    all.add(next);
    Persona p = persona;
    int budget = tokenBudget();
    int reserve = Math.min(settings.reserveForAnswer(), budget / 2);
    int from = ConversationWindow.keepFrom(prefix(), all, budget - reserve, msgs -> count(p, msgs));
    return new ArrayList<>(all.subList(from, all.size()));
  }

  private List<Message> prefix() {
    Optional<String> system = settings.system();
    return system.isPresent() ? List.of(Message.system(system.get())) : List.of();
  }

  private int count(Persona p, List<Message> messages) {
    ChatRequest r = ChatRequest.of(messages);
    return model.countTokens(model.render(Optional.ofNullable(p), r).messages());
  }

  private ChatRequest request(List<Message> window) {
    List<Message> messages = new ArrayList<>(prefix());
    messages.addAll(window);
    ChatRequest.Builder b = ChatRequest.builder().messages(messages).options(settings.options());
    Persona p = persona;
    if (p != null) {
      b.persona(p.id());
    }
    return b.build();
  }

  private void commit(List<Message> window, Message answer) {
    synchronized (history) {
      history.clear();
      history.addAll(window);
      history.add(answer);
    }
  }

  @Override
  public List<Message> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  @Override
  public void restore(List<Message> messages) {
    Objects.requireNonNull(messages, "messages");
    List<Message> copy = List.copyOf(messages);
    acquire();
    try {
      synchronized (history) {
        history.clear();
        history.addAll(copy);
      }
    } finally {
      turn.release();
    }
  }

  @Override
  public void reset() {
    restore(List.of());
  }

  @Override
  public Optional<Persona> persona() {
    return Optional.ofNullable(persona);
  }

  @Override
  public void switchPersona(String personaId) {
    this.persona = model.personaRegistry().require(personaId);
  }

  @Override
  public int tokenBudget() {
    return settings.tokenBudget().isPresent() ? settings.tokenBudget().getAsInt() : model.contextLength();
  }

  @Override
  public int promptTokens() {
    List<Message> all = new ArrayList<>(prefix());
    synchronized (history) {
      all.addAll(history);
    }
    if (all.isEmpty()) {
      all.add(Message.user(""));
    }
    return count(persona, all);
  }
}

package dev.banter.cli;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The chat command's conversation: a {@link Conversation} whose every turn carries the command
 * line's sampling options (and the demo model's stop sequence), streamed one turn at a time, with
 * a cancel that stops the turn in progress. The conversation cuts the oldest exchanges to fit the
 * model's context, keeping room for an answer of {@code --max-tokens} (512 tokens when unset); an
 * exchange goes whole, so a tool call never loses its result.
 */
final class ChatSession {
  private static final int DEFAULT_RESERVE = 512;

  private final Conversation conversation;
  private volatile ChatStream current;

  /**
   * @param system an instruction added to the persona's system prompt, or null
   */
  ChatSession(ChatModel model, GenerationOptions options, String system) {
    ConversationSettings.Builder s = ConversationSettings.builder().options(options)
        .reserveForAnswer(options.maxTokens().orElse(DEFAULT_RESERVE));
    if (system != null) {
      s.system(system);
    }
    this.conversation = model.conversation(s.build());
  }

  /**
   * Sends {@code text} and streams the answer to {@code onText}, control characters made visible
   * ({@link TerminalText}); the exchange joins the history
   * when the answer ends, also when it was cancelled (with the partial text).
   *
   * @throws dev.banter.api.BanterException when the backend fails; the history is left as it was
   */
  ChatResponse turn(String text, Consumer<String> onText) {
    ChatStream stream = conversation.stream(text);
    current = stream;
    try {
      for (ChatChunk chunk : stream) {
        if (!chunk.text().isEmpty()) {
          onText.accept(TerminalText.printable(chunk.text()));
        }
      }
      return stream.await();
    } finally {
      current = null;
    }
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
    return conversation.history();
  }

  void restore(List<Message> messages) {
    conversation.restore(messages);
  }

  void reset() {
    conversation.reset();
  }

  /** The current persona; empty when the model is talked to bare. */
  Optional<Persona> persona() {
    return conversation.persona();
  }

  /**
   * @throws dev.banter.api.ConfigurationException listing the known personas when {@code id} is unknown
   */
  void switchPersona(String id) {
    conversation.switchPersona(Objects.requireNonNull(id, "id"));
  }

  /** The most tokens a prompt may take, the answer's reserve included. */
  int tokenBudget() {
    return conversation.tokenBudget();
  }
}

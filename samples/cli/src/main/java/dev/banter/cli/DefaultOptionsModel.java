package dev.banter.cli;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.GenerationOptions;
import dev.banter.api.ModelInfo;
import dev.banter.api.Persona;
import java.util.List;
import java.util.Optional;

/**
 * A model whose single requests get the server's sampling defaults (the command line's
 * {@code --temperature} and friends, the demo model's stop sequence) under the options the client
 * sent: what a client sets wins. Conversations are passed through untouched; the OpenAI handler
 * sends single requests only.
 */
final class DefaultOptionsModel implements ChatModel {
  private final ChatModel model;
  private final GenerationOptions defaults;

  DefaultOptionsModel(ChatModel model, GenerationOptions defaults) {
    this.model = model;
    this.defaults = defaults;
  }

  private ChatRequest withDefaults(ChatRequest r) {
    if (defaults.equals(GenerationOptions.defaults())) {
      return r;
    }
    return r.toBuilder().options(r.options().withDefaults(defaults)).build();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return model.chat(withDefaults(request));
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    return model.stream(withDefaults(request));
  }

  @Override
  public Conversation conversation(ConversationSettings settings) {
    return model.conversation(settings);
  }

  @Override
  public List<Persona> personas() {
    return model.personas();
  }

  @Override
  public Optional<Persona> defaultPersona() {
    return model.defaultPersona();
  }

  @Override
  public List<ModelInfo> models() {
    return model.models();
  }

  @Override
  public void close() {
    model.close();
  }
}

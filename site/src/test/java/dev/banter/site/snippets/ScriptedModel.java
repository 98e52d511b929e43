package dev.banter.site.snippets;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.Persona;
import dev.banter.api.ToolCall;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** A model that plays back answers (text or tool calls) in order, for the tools page's snippets. */
final class ScriptedModel implements ChatModel {
  private final Deque<ChatResponse> answers = new ArrayDeque<>();
  final List<ChatRequest> requests = new ArrayList<>();

  ScriptedModel text(String text) {
    answers.add(ChatResponse.builder().text(text).build());
    return this;
  }

  ScriptedModel call(String id, String name, String arguments) {
    answers.add(ChatResponse.builder().message(Message.assistant("", List.of(new ToolCall(id, name, arguments))))
        .finishReason(FinishReason.TOOL_CALLS).build());
    return this;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    requests.add(request);
    ChatResponse next = answers.poll();
    if (next == null) {
      throw new IllegalStateException("no scripted answer left");
    }
    return next;
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    throw new UnsupportedOperationException("the tools page does not stream");
  }

  @Override
  public Conversation conversation(ConversationSettings settings) {
    throw new UnsupportedOperationException("the tools page has no conversations");
  }

  @Override
  public List<Persona> personas() {
    return List.of();
  }

  @Override
  public Optional<Persona> defaultPersona() {
    return Optional.empty();
  }

  @Override
  public List<ModelInfo> models() {
    return List.of();
  }

  @Override
  public void close() {}
}

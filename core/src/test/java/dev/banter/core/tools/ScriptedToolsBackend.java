package dev.banter.core.tools;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.ToolCall;
import dev.banter.api.Usage;
import dev.banter.core.Banter;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Capability;
import dev.banter.spi.Setting;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A backend that answers each chat call with the next scripted response (a function of the
 * request, so a script can echo what it was sent), behind Banter's real runtime. Records every
 * request it received, as the runtime rendered it.
 */
final class ScriptedToolsBackend implements Backend {
  private final Deque<Function<ChatRequest, ChatResponse>> script = new ArrayDeque<>();
  final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());

  /** A text answer. */
  static Function<ChatRequest, ChatResponse> text(String text) {
    return r -> ChatResponse.builder().text(text).usage(Usage.of(10, 5)).build();
  }

  /** An answer asking for these tool calls. */
  static Function<ChatRequest, ChatResponse> calls(ToolCall... calls) {
    return r -> ChatResponse.builder().message(Message.assistant("", Arrays.asList(calls)))
        .finishReason(FinishReason.TOOL_CALLS).usage(Usage.of(10, 5)).build();
  }

  static ToolCall call(String id, String name, String arguments) {
    return new ToolCall(id, name, arguments);
  }

  synchronized ScriptedToolsBackend then(List<Function<ChatRequest, ChatResponse>> steps) {
    script.addAll(steps);
    return this;
  }

  @SafeVarargs
  final ScriptedToolsBackend then(Function<ChatRequest, ChatResponse>... steps) {
    return then(Arrays.asList(steps));
  }

  /** A model on Banter's runtime with this backend and no persona, so requests arrive as sent. */
  ChatModel model() {
    return Banter.builder().backend("scripted-tools").provider(provider()).noDefaultPersona().build();
  }

  @Override
  public String id() {
    return "scripted-tools";
  }

  @Override
  public BackendCapabilities capabilities() {
    return BackendCapabilities.of(8192, Capability.TOOLS, Capability.JSON_SCHEMA);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    requests.add(request);
    Function<ChatRequest, ChatResponse> step;
    synchronized (this) {
      step = script.poll();
    }
    if (step == null) {
      throw new AssertionError("the script has no answer left for call " + requests.size() + ": " + request);
    }
    return step.apply(request);
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    throw new UnsupportedOperationException("the tool helpers call chat(), not stream()");
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(ModelInfo.of("scripted", "test"));
  }

  private BackendProvider provider() {
    Backend self = this;
    return new BackendProvider() {
      @Override
      public String id() {
        return "scripted-tools";
      }

      @Override
      public int spiVersion() {
        return SPI_VERSION;
      }

      @Override
      public List<Setting> settings() {
        return List.of();
      }

      @Override
      public Backend create(BackendConfig config) {
        return self;
      }
    };
  }
}

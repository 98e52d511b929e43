package dev.banter.inferenceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ConfigurationException;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolSpec;
import dev.banter.api.Usage;
import dev.banter.openai.testing.MockServer;
import dev.banter.openai.testing.Reply;
import dev.banter.openai.testing.Streams;
import dev.banter.openai.testing.Transcripts;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.Optional;

/** Each GPU server's quirks (wire-formats §4) normalised by the inference-server backend. */
@Timeout(30)
class ServerDialectsTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final ToolSpec WEATHER = ToolSpec.of("get_weather", "", "{\"type\":\"object\"}");
  private MockServer server;
  private Backend backend;

  @BeforeEach
  void start() {
    server = MockServer.start();
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    server.close();
  }

  private Backend backend(String... extra) {
    BackendConfig.Builder b = BackendConfig.builder("inference-server").set("base-url", server.baseUrl())
        .set("health-interval", "0").environment(n -> null);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      b.set(extra[i], extra[i + 1]);
    }
    backend = new InferenceServerProvider().create(b.build());
    return backend;
  }

  private Backend withModel() {
    return backend("model", "m");
  }

  @Test
  void llama_cpp_timings_become_rates_and_reasoning_content_is_reasoning() {
    server.on(CHAT, Reply.eventByEvent(Transcripts.load("llamacpp-text.sse"), 1));
    ChatStream stream = withModel().stream(ChatRequest.of("hi"));
    Streams s = Streams.drain(stream);
    assertNull(s.error);
    assertEquals("Hello there!", s.text());
    assertEquals("Say hi.", s.reasoning());
    ChatResponse r = stream.await();
    assertEquals(291.3, r.timings().orElseThrow().promptTokensPerSecond().getAsDouble());
    assertEquals(52.9, r.timings().orElseThrow().tokensPerSecond().getAsDouble());
    assertEquals(Optional.of(Usage.of(245, 3)), r.usage());
  }

  @Test
  void llama_cpp_whole_answers_carry_timings_too() {
    server.on(CHAT, Reply.json(200, Transcripts.load("llamacpp-text.json")));
    ChatResponse r = withModel().chat(ChatRequest.of("hi"));
    assertEquals("Hello there!", r.text());
    assertEquals(52.9, r.timings().orElseThrow().tokensPerSecond().getAsDouble());
    assertEquals(Optional.of("tiny.gguf"), r.model());
  }

  @Test
  void llama_cpp_tool_call_with_the_id_only_in_its_first_delta() {
    server.on(CHAT, Reply.sse(Transcripts.load("llamacpp-tools.sse")));
    ChatStream stream = withModel().stream(ChatRequest.builder().user("x").tools(WEATHER).build());
    Streams.drain(stream);
    ChatResponse r = stream.await();
    assertEquals(new ToolCall("Xa8kP2qLm9Rt4vB7nC1dE6fG3hJ5kL0z", "get_weather", "{\"city\": \"Oslo\"}"),
        r.message().toolCalls().get(0));
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
  }

  @Test
  void llama_cpp_error_event_without_done_fails_after_the_partial_text() {
    server.on(CHAT, Reply.sse(Transcripts.load("llamacpp-error-no-done.sse")));
    Streams s = Streams.drain(withModel().stream(ChatRequest.of("hi")));
    assertEquals("Hel", s.text());
    BackendUnavailableException e = assertInstanceOf(BackendUnavailableException.class, s.error);
    assertTrue(e.getMessage().contains("slot crashed"), e.getMessage());
  }

  @Test
  void vllm_error_event_then_done_fails_with_the_error() {
    server.on(CHAT, Reply.sse(Transcripts.load("vllm-error-then-done.sse")));
    Streams s = Streams.drain(withModel().stream(ChatRequest.of("hi")));
    assertEquals("Hel", s.text());
    assertTrue(s.error.getMessage().contains("engine died"), s.error.getMessage());
  }

  @Test
  void tgi_role_in_every_delta_and_stop_sequence_are_normal() {
    server.on(CHAT, Reply.sse(Transcripts.load("tgi-text.sse")));
    ChatStream stream = withModel().stream(ChatRequest.of("hi"));
    assertEquals("Hello there!", Streams.drain(stream).text());
    ChatResponse r = stream.await();
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(Optional.of(Usage.of(9, 3)), r.usage());
  }

  @Test
  void tgi_tool_calls_at_index_zero_assemble_into_one_call_with_a_generated_id() {
    server.on(CHAT, Reply.sse(Transcripts.load("tgi-tools.sse")));
    ChatStream stream = withModel().stream(ChatRequest.builder().user("x").tools(WEATHER).build());
    Streams.drain(stream);
    ChatResponse r = stream.await();
    assertEquals(1, r.message().toolCalls().size());
    ToolCall call = r.message().toolCalls().get(0);
    assertEquals("get_weather", call.name());
    assertEquals("{\"city\":\"Oslo\"}", call.arguments());
    assertTrue(call.id().startsWith("call_"), call.id());
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
  }

  @Test
  void tgi_context_overflow_422_is_a_context_error_with_numbers() {
    server.on(CHAT, Reply.json(422, Transcripts.load("tgi-context-length.json")));
    ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
        () -> withModel().chat(ChatRequest.of("hi")));
    assertEquals(4000, e.promptTokens().getAsInt());
    assertEquals(4096, e.contextLimit().getAsInt());
  }

  @Test
  void llama_cpp_and_sglang_context_overflows_carry_their_numbers() {
    server.on(CHAT, Reply.json(400, Transcripts.load("llamacpp-context-length.json")));
    ContextLengthExceededException l = assertThrows(ContextLengthExceededException.class,
        () -> withModel().chat(ChatRequest.of("hi")));
    assertEquals(1024, l.contextLimit().getAsInt());
    server.on(CHAT, Reply.json(400, Transcripts.load("sglang-context-length.json")));
    ContextLengthExceededException g = assertThrows(ContextLengthExceededException.class,
        () -> backend.chat(ChatRequest.of("hi")));
    assertEquals(40960, g.contextLimit().getAsInt());
  }

  @Test
  void ollama_reasoning_field_and_dedicated_finish_chunk() {
    server.on(CHAT, Reply.eventByEvent(Transcripts.load("ollama-text.sse"), 1));
    ChatStream stream = withModel().stream(ChatRequest.of("hi"));
    Streams s = Streams.drain(stream);
    assertEquals("Hello there!", s.text());
    assertEquals("Hmm, a greeting.", s.reasoning());
    assertEquals(FinishReason.STOP, stream.await().finishReason());
  }

  @Test
  void the_extra_sampling_fields_and_max_tokens_are_sent() {
    server.on(CHAT, Reply.json(200, Transcripts.load("llamacpp-text.json")));
    withModel().chat(ChatRequest.builder().user("x").options(GenerationOptions.builder().topK(40).minP(0.05)
        .repetitionPenalty(1.1).seed(42).maxTokens(32).build()).build());
    JsonNode sent = server.lastRequest(CHAT).json();
    assertEquals(40, sent.get("top_k").asInt());
    assertEquals(0.05, sent.get("min_p").asDouble());
    assertEquals(1.1, sent.get("repetition_penalty").asDouble());
    assertEquals(1.1, sent.get("repeat_penalty").asDouble());
    assertEquals(42, sent.get("seed").asLong());
    assertEquals(32, sent.get("max_tokens").asInt());
    assertFalse(sent.has("max_completion_tokens"));
  }

  @Test
  void without_a_model_setting_the_first_listed_model_is_used() {
    server.on("/v1/models", Reply.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"Qwen/Qwen3-8B\",\"object\":\"model\","
        + "\"owned_by\":\"vllm\",\"max_model_len\":32768},{\"id\":\"other\"}]}"));
    server.on(CHAT, Reply.json(200, Transcripts.load("openai-text.json")));
    Backend b = backend();
    b.chat(ChatRequest.of("hi"));
    assertEquals("Qwen/Qwen3-8B", server.lastRequest(CHAT).json().get("model").asText());
    assertEquals(32768, b.models().get(0).contextLength().getAsInt());
    b.chat(ChatRequest.builder().user("hi").model("other").build());
    assertEquals("other", server.lastRequest(CHAT).json().get("model").asText());
  }

  @Test
  void missing_endpoints_and_bad_urls_are_configuration_errors() {
    ConfigurationException none = assertThrows(ConfigurationException.class, () -> new InferenceServerProvider()
        .create(BackendConfig.builder("inference-server").environment(n -> null).build()));
    assertEquals("endpoints", none.field().orElseThrow());
    ConfigurationException bad = assertThrows(ConfigurationException.class, () -> new InferenceServerProvider()
        .create(BackendConfig.builder("inference-server").set("endpoints", "http://a:1/v1, ftp://b/v1")
            .environment(n -> null).build()));
    assertTrue(bad.getMessage().contains("http://"), bad.getMessage());
  }
}

package dev.banter.xai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ConfigurationException;
import dev.banter.api.FinishReason;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ModelInfo;
import dev.banter.api.Usage;
import dev.banter.openai.testing.OpenAiCompatibleBackendContract;
import dev.banter.openai.testing.Reply;
import dev.banter.openai.testing.Streams;
import dev.banter.openai.testing.Transcripts;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Capability;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The xai backend against a mock server speaking xAI's dialect (wire-formats §3). */
class XaiBackendTest extends OpenAiCompatibleBackendContract {
  @Override
  protected Backend create(Map<String, String> settings) {
    return new XaiProvider().create(BackendConfig.builder("xai").setAll(settings).environment(n -> null).build());
  }

  @Override
  protected String textStream() {
    return Transcripts.load("xai-text.sse");
  }

  @Override
  protected String toolStream() {
    return Transcripts.load("xai-tools.sse");
  }

  @Override
  protected int badKeyStatus() {
    return 400;
  }

  @Override
  protected String badKeyBody() {
    return Transcripts.load("xai-bad-key-400.json").replace("%s", KEY);
  }

  @Test
  void reasoning_streams_as_reasoning_chunks_apart_from_the_text() {
    server.on(CHAT, Reply.eventByEvent(Transcripts.load("xai-reasoning.sse"), 1));
    ChatStream stream = backend().stream(hello());
    Streams s = Streams.drain(stream);
    assertNull(s.error);
    assertEquals("The user greets me.", s.reasoning());
    assertEquals("Hello there!", s.text());
    for (ChatChunk c : s.chunks) {
      assertTrue(c.text().isEmpty() || c.reasoning().isEmpty(), c.toString());
    }
    ChatResponse r = stream.await();
    assertEquals("The user greets me.", r.reasoning());
    assertEquals(Optional.of(new Usage(863, 25 + 59, 800, 59)), r.usage());
    assertEquals(947, r.usage().orElseThrow().totalTokens());
  }

  @Test
  void a_whole_answer_keeps_reasoning_and_counts_reasoning_tokens() {
    server.on(CHAT, Reply.json(200, Transcripts.load("xai-text.json")));
    ChatResponse r = backend().chat(hello());
    assertEquals("Hello there!", r.text());
    assertEquals("The user greets me.", r.reasoning());
    assertEquals(Optional.of(new Usage(467, 68 + 314, 0, 314)), r.usage());
    assertEquals(849, r.usage().orElseThrow().totalTokens());
  }

  @Test
  void whole_tool_calls_in_one_chunk_each_become_two_calls() {
    server.on(CHAT, Reply.sse(Transcripts.load("xai-tools.sse")));
    ChatStream stream = backend().stream(ChatRequest.builder().user("x").tools(WEATHER, TIME).build());
    Streams.drain(stream);
    ChatResponse r = stream.await();
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
    assertEquals(2, r.message().toolCalls().size());
    assertEquals("call_B", r.message().toolCalls().get(1).id());
  }

  @Test
  void the_flat_error_body_is_read() {
    server.on(CHAT, Reply.json(400, Transcripts.load("xai-error-400.json")));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> backend().chat(hello()));
    assertTrue(e.getMessage().contains("single `text` element"), e.getMessage());
  }

  @Test
  void models_are_listed_from_the_api() {
    server.on("/v1/models", Reply.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"grok-4\",\"object\":\"model\","
        + "\"created\":1,\"owned_by\":\"xai\"},{\"id\":\"grok-3-mini\",\"owned_by\":\"xai\"}]}"));
    List<ModelInfo> models = backend().models();
    assertEquals(List.of(ModelInfo.of("grok-4", "xai"), ModelInfo.of("grok-3-mini", "xai")), models);
  }

  @Test
  void the_key_comes_from_xai_api_key_and_its_absence_is_a_clear_error() {
    BackendConfig.Builder b = BackendConfig.builder("xai").set("model", "grok-4").set("base-url", server.baseUrl());
    server.on(CHAT, Reply.json(200, Transcripts.load("xai-text.json")));
    try (Backend grok = new XaiProvider().create(b.environment(n -> n.equals("XAI_API_KEY") ? KEY : null).build())) {
      grok.chat(hello());
      assertEquals("Bearer " + KEY, server.lastRequest(CHAT).header("Authorization"));
      assertTrue(grok.capabilities().has(Capability.REASONING));
    }
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> new XaiProvider().create(b.environment(n -> null).build()));
    assertTrue(e.getMessage().contains("XAI_API_KEY"));
  }

  @Test
  void the_provider_is_found_by_service_loader_with_the_current_spi_version() {
    BackendProvider found = null;
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      if (p.id().equals("xai")) {
        found = p;
      }
    }
    assertTrue(found instanceof XaiProvider);
    assertEquals(BackendProvider.SPI_VERSION, found.spiVersion());
    assertEquals("https://api.x.ai/v1", XaiProvider.DEFAULT_BASE_URL);
    try (Backend b = found.create(BackendConfig.builder("xai").set("api-key", KEY).environment(n -> null).build())) {
      assertTrue(b.toString().contains("api.x.ai"), b.toString());
      assertFalse(b.toString().contains(KEY));
    }
  }
}

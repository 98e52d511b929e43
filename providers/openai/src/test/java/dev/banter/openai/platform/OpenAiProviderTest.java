package dev.banter.openai.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ChatRequest;
import dev.banter.api.ConfigurationException;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.openai.testing.OpenAiCompatibleBackendContract;
import dev.banter.openai.testing.Recorded;
import dev.banter.openai.testing.Reply;
import dev.banter.openai.testing.Transcripts;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The openai backend against a mock server speaking OpenAI's dialect (wire-formats §1). */
class OpenAiProviderTest extends OpenAiCompatibleBackendContract {
  @Override
  protected Backend create(Map<String, String> settings) {
    return new OpenAiProvider().create(BackendConfig.builder("openai").setAll(settings).environment(n -> null).build());
  }

  @Test
  void organization_and_project_go_out_as_headers() {
    server.on(CHAT, Reply.json(200, Transcripts.load("openai-text.json")));
    backend("organization", "org-42", "project", "proj_7").chat(hello());
    Recorded r = server.lastRequest(CHAT);
    assertEquals("org-42", r.header("OpenAI-Organization"));
    assertEquals("proj_7", r.header("OpenAI-Project"));
  }

  @Test
  void extra_sampling_fields_openai_rejects_are_left_out() {
    server.on(CHAT, Reply.json(200, Transcripts.load("openai-text.json")));
    backend().chat(ChatRequest.builder().user("x")
        .options(GenerationOptions.builder().topK(40).minP(0.1).repetitionPenalty(1.2).maxTokens(9).build()).build());
    JsonNode sent = server.lastRequest(CHAT).json();
    assertFalse(sent.has("top_k") || sent.has("min_p") || sent.has("repetition_penalty") || sent.has("max_tokens"));
    assertEquals(9, sent.get("max_completion_tokens").asInt());
  }

  @Test
  void an_unknown_model_is_an_invalid_request_about_the_model() {
    server.on(CHAT, Reply.json(404, Transcripts.load("openai-404-model.json")));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> backend().chat(hello()));
    assertEquals("model", e.parameter().orElseThrow());
  }

  @Test
  void the_key_comes_from_openai_api_key_and_its_absence_is_a_clear_error() {
    server.on(CHAT, Reply.json(200, Transcripts.load("openai-text.json")));
    BackendConfig.Builder b = BackendConfig.builder("openai").set("model", "gpt-4o").set("base-url", server.baseUrl());
    try (Backend gpt = new OpenAiProvider().create(b.environment(n -> n.equals("OPENAI_API_KEY") ? KEY : null).build())) {
      gpt.chat(hello());
      assertEquals("Bearer " + KEY, server.lastRequest(CHAT).header("Authorization"));
    }
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> new OpenAiProvider().create(b.environment(n -> null).build()));
    assertTrue(e.getMessage().contains("OPENAI_API_KEY"));
  }

  @Test
  void a_request_without_any_model_is_refused_before_sending() {
    try (Backend b = new OpenAiProvider().create(BackendConfig.builder("openai").set("api-key", KEY)
        .set("base-url", server.baseUrl()).environment(n -> null).build())) {
      assertThrows(ConfigurationException.class, () -> b.chat(hello()));
      assertTrue(server.requests().isEmpty());
    }
  }

  @Test
  void the_provider_is_found_by_service_loader_with_the_current_spi_version() {
    BackendProvider found = null;
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      if (p.id().equals("openai")) {
        found = p;
      }
    }
    assertTrue(found instanceof OpenAiProvider);
    assertEquals(BackendProvider.SPI_VERSION, found.spiVersion());
    try (Backend b = found.create(BackendConfig.builder("openai").set("api-key", KEY).environment(n -> null).build())) {
      assertTrue(b.toString().contains("api.openai.com"), b.toString());
    }
  }
}

package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.openai.testing.MockServer;
import dev.banter.openai.testing.RefusedPort;
import dev.banter.openai.testing.Reply;
import dev.banter.openai.testing.Transcripts;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Core's retries and fallback in front of real HTTP backends: an xAI-dialect server that fails in
 * scripted ways, and an inference server (vLLM dialect) behind it as the fallback.
 */
class HttpResilienceTest {
  private static final String KEY = "xai-TESTKEY-never-printed";
  private final VirtualTime time = new VirtualTime();
  private final MockServer xai = MockServer.start();
  private final MockServer gpu = MockServer.start();
  private ChatModel model;

  @AfterEach
  void close() {
    if (model != null) {
      model.close();
    }
    xai.close();
    gpu.close();
  }

  private ChatModel build(String xaiBaseUrl, Resilience resilience) {
    gpu.on("/v1/chat/completions", Reply.sse(Transcripts.load("vllm-text.sse")));
    model = Banter.builder()
        .backend("xai").set("base-url", xaiBaseUrl).set("model", "grok-3-mini").secret("api-key", KEY)
        .fallback("inference-server", Map.of("endpoints", gpu.baseUrl(), "model", "test-model",
            "health-interval", "0"))
        .noDefaultPersona().resilience(resilience).timeSource(time).build();
    return model;
  }

  private static String collect(ChatStream s) {
    StringBuilder sb = new StringBuilder();
    for (ChatChunk c : s) {
      sb.append(c.text());
    }
    return sb.toString();
  }

  @Test
  void a_server_error_then_success_is_retried_on_the_same_backend() {
    xai.on("/v1/chat/completions",
        Reply.json(500, "{\"error\":\"internal\"}"),
        Reply.json(503, "{\"error\":\"overloaded\"}"),
        Reply.sse(Transcripts.load("xai-text.sse")));
    build(xai.baseUrl(), Resilience.builder().maxAttempts(3).noCircuitBreaker().build());
    ChatStream s = model.stream("hi");
    assertEquals("Hello there!", collect(s));
    assertEquals(Optional.of("xai"), s.await().backendId());
    assertEquals(3, xai.requests().size());
    assertEquals(0, gpu.requests().size());
    assertEquals(2, time.sleeps.size());
  }

  @Test
  void rate_limited_with_retry_after_waits_at_least_that_long_on_the_virtual_clock() {
    xai.on("/v1/chat/completions",
        Reply.json(429, "{\"error\":\"rate limited\"}", "Retry-After", "7"),
        Reply.sse(Transcripts.load("xai-text.sse")));
    build(xai.baseUrl(), Resilience.builder().maxAttempts(2).noCircuitBreaker().build());
    assertEquals("Hello there!", collect(model.stream("hi")));
    assertTrue(time.sleeps.get(0).compareTo(Duration.ofSeconds(7)) >= 0, "slept " + time.sleeps);
  }

  @Test
  void a_refused_connection_falls_back_and_every_token_arrives_once() throws Exception {
    try (RefusedPort dead = RefusedPort.reserve()) {
      build(dead.baseUrl(), Resilience.builder().maxAttempts(2).noCircuitBreaker().build());
      ChatStream s = model.stream("hi");
      assertEquals("Hello there!", collect(s));
      ChatResponse r = s.await();
      assertEquals(Optional.of("inference-server"), r.backendId());
      assertEquals("Greeting.", r.reasoning());
      assertEquals(4, r.usage().orElseThrow().completionTokens());
    }
  }

  @Test
  void a_bad_key_is_not_retried_falls_back_and_never_shows() {
    xai.on("/v1/chat/completions", Reply.json(401, Transcripts.load("openai-401.json")));
    build(xai.baseUrl(), Resilience.builder().maxAttempts(3).noCircuitBreaker().build());
    gpu.on("/v1/chat/completions", Reply.json(200, Transcripts.load("openai-text.json")));
    ChatResponse r = model.chat("hi");
    assertEquals(Optional.of("inference-server"), r.backendId());
    assertEquals(1, xai.requests().size(), "401 is not retried");
    assertFalse(model.toString().contains(KEY));
  }

  @Test
  void a_reset_in_the_middle_of_a_stream_is_reported_with_the_partial_text_and_not_retried() {
    String transcript = Transcripts.load("xai-text.sse");
    String firstEvent = transcript.substring(0, transcript.indexOf("\n\n") + 2);
    xai.on("/v1/chat/completions", Reply.sseThenReset(firstEvent));
    build(xai.baseUrl(), Resilience.builder().maxAttempts(3).noCircuitBreaker().build());
    ChatStream s = model.stream("hi");
    StringBuilder seen = new StringBuilder();
    assertThrows(BackendUnavailableException.class, () -> {
      for (ChatChunk c : s) {
        seen.append(c.text());
      }
    });
    assertEquals("Hel", seen.toString());
    assertEquals(1, xai.requests().size());
    assertEquals(0, gpu.requests().size());
  }
}

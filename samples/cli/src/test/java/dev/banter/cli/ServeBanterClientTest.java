package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.AuthenticationException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.ModelInfo;
import dev.banter.api.RateLimitedException;
import dev.banter.core.Banter;
import dev.banter.core.Resilience;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter serve}, spoken to by Banter's own {@code inference-server} backend. */
@Timeout(120)
class ServeBanterClientTest {
  private static final String KEY = ServeConformanceTest.KEY;

  @TempDir
  Path home;

  private Served served;
  private ChatModel client;

  private ChatModel client(String key) {
    Banter.Builder b = Banter.builder().backend("inference-server").set("base-url", served.baseUrl)
        .set("health-interval", "0s").noDefaultPersona().resilience(Resilience.none());
    if (key != null) {
      b.secret("api-key", key);
    }
    return b.build();
  }

  private void serve(String... extra) throws InterruptedException {
    String[] args = new String[ServeConformanceTest.BACKEND.length + extra.length];
    System.arraycopy(ServeConformanceTest.BACKEND, 0, args, 0, ServeConformanceTest.BACKEND.length);
    System.arraycopy(extra, 0, args, ServeConformanceTest.BACKEND.length, extra.length);
    served = Served.start(home, args);
    client = client(KEY);
  }

  private ChatRequest ask(String text) {
    return ChatRequest.builder().user(text).model(client.models().get(0).id())
        .options(GenerationOptions.builder().maxTokens(200).seed(7).build()).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (served != null) {
      served.close();
    }
  }

  @Test
  void the_model_list_names_the_served_model() throws Exception {
    serve("--api-key", KEY);
    List<ModelInfo> models = client.models();
    assertEquals(1, models.size());
    assertTrue(models.get(0).id().startsWith("banter-demo"), models.get(0).id());
  }

  @Test
  void a_whole_answer_and_a_stream_agree_and_report_usage() throws Exception {
    serve("--api-key", KEY);
    ChatResponse whole = client.chat(ask("I am afraid of spiders."));
    assertFalse(whole.text().trim().isEmpty());
    assertEquals(FinishReason.STOP, whole.finishReason());
    assertTrue(whole.usage().orElseThrow().completionTokens() > 0);
    StringBuilder streamed = new StringBuilder();
    ChatResponse end;
    try (ChatStream s = client.stream(ask("I am afraid of spiders."))) {
      for (ChatChunk c : s) {
        streamed.append(c.text());
      }
      end = s.await();
    }
    assertEquals(whole.text(), streamed.toString());
    assertEquals(FinishReason.STOP, end.finishReason());
    assertEquals(whole.usage().orElseThrow().completionTokens(), end.usage().orElseThrow().completionTokens());
  }

  @Test
  void an_unknown_model_is_an_invalid_request_naming_the_model() throws Exception {
    serve("--api-key", KEY);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> client.chat(ChatRequest.builder().user("Hi").model("no-such-model").build()));
    assertEquals("model", e.parameter().orElse(""));
  }

  @Test
  void a_wrong_key_is_an_authentication_failure() throws Exception {
    serve("--api-key", KEY);
    try (ChatModel wrong = client("wrong-key")) {
      assertThrows(AuthenticationException.class, () -> wrong.chat(ChatRequest.of("Hi")));
    }
  }

  @Test
  void a_full_server_is_rate_limited_with_its_retry_after() throws Exception {
    serve("--api-key", KEY, "--max-concurrent", "1", "--retry-after", "2s");
    String model = client.models().get(0).id();
    try (HeldSlot held = new HeldSlot(served.port, KEY)) {
      RateLimitedException e = held.untilRefused(
          () -> client.chat(ChatRequest.builder().user("Hi").model(model).build()), RateLimitedException.class);
      assertEquals(Duration.ofSeconds(2), e.retryAfter().orElseThrow());
    }
  }
}

package dev.banter.inferenceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.AuthenticationException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.RateLimitedException;
import dev.banter.api.Usage;
import dev.banter.openai.testing.LogCapture;
import dev.banter.openai.testing.ServedModel;
import dev.banter.openai.testing.Streams;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.Secret;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Banter's inference-server backend talking to Banter's own server handler (what `banter serve` will run). */
@Timeout(30)
class RoundTripTest {
  private static final String KEY = "serve-S3CR3T-key-0123456789";
  private ServedModel served;
  private Backend backend;

  private Backend connect(String key, UnaryOperator handlerSettings) {
    served = new ServedModel(b -> handlerSettings.apply(b.apiKey(Secret.of(KEY))));
    BackendConfig.Builder c = BackendConfig.builder("inference-server").set("base-url", served.baseUrl())
        .set("health-interval", "0").set("idle-timeout", "5s").environment(n -> null);
    if (key != null) {
      c.set("api-key", key);
    }
    backend = new InferenceServerProvider().create(c.build());
    return backend;
  }

  private interface UnaryOperator extends java.util.function.UnaryOperator<dev.banter.openai.OpenAiServerHandler.Builder> {}

  private Backend connect() {
    return connect(KEY, b -> b);
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (served != null) {
      served.close();
    }
  }

  @Test
  void a_whole_answer_with_usage_and_the_model_discovered_from_the_server() {
    ChatResponse r = connect().chat(ChatRequest.builder().user("Hi")
        .options(GenerationOptions.builder().temperature(0.3).topK(20).build()).build());
    assertEquals("Hello there!", r.text());
    assertEquals(Optional.of(Usage.of(9, 3)), r.usage());
    ChatRequest seen = served.model.requests.get(0);
    assertEquals("scripted", seen.model().orElseThrow());
    assertEquals(20, seen.options().topK().getAsInt());
  }

  @Test
  void a_stream_with_the_usage_chunk() {
    ChatStream stream = connect().stream(ChatRequest.of("Hi"));
    Streams s = Streams.drain(stream);
    assertNull(s.error);
    assertEquals("Hello there!", s.text());
    ChatResponse r = stream.await();
    assertEquals(Optional.of(Usage.of(9, 3)), r.usage());
    assertEquals(FinishReason.STOP, r.finishReason());
  }

  @Test
  void a_wrong_key_is_401_and_shows_no_key() {
    try (LogCapture logs = new LogCapture()) {
      Backend b = connect("wrong-key-000000000000", x -> x);
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> b.chat(ChatRequest.of("Hi")));
      assertFalse(e.getMessage().contains("wrong-key-000000000000"));
      assertFalse(logs.text().contains("wrong-key-000000000000"));
      assertFalse(logs.text().contains(KEY));
      assertFalse(served.handler.toString().contains(KEY));
    }
    assertTrue(served.model.requests.isEmpty());
  }

  @Test
  void the_concurrency_limit_is_a_429_with_retry_after() throws Exception {
    Backend b = connect(KEY, x -> x.maxConcurrentRequests(1).retryAfter(Duration.ofSeconds(2)));
    served.model.hold = new java.util.concurrent.CountDownLatch(1);
    ChatStream first = b.stream(ChatRequest.builder().user("1").model("scripted").build());
    assertTrue(served.model.streamsStarted.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS),
        "the first stream reached the model");
    RateLimitedException e;
    try {
      e = assertThrows(RateLimitedException.class,
          () -> b.chat(ChatRequest.builder().user("2").model("scripted").build()));
    } finally {
      served.model.hold.countDown();
    }
    assertEquals(Duration.ofSeconds(2), e.retryAfter().orElseThrow());
    assertEquals("Hello there!", first.await().text());
  }

  @Test
  void an_unknown_model_is_404_about_the_model() {
    Backend b = connect();
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> b.chat(ChatRequest.builder().user("Hi").model("gpt-9").build()));
    assertEquals("model", e.parameter().orElseThrow());
    Streams s = Streams.drain(b.stream(ChatRequest.builder().user("Hi").model("gpt-9").build()));
    assertInstanceOf(InvalidRequestException.class, s.error);
  }

  @Test
  void cancelling_the_client_stream_cancels_the_served_models_stream() throws Exception {
    Backend b = connect();
    served.model.delayMillis = 50;
    served.model.chunks.set(Collections.nCopies(200, ChatChunk.ofText("tick ")));
    ChatStream stream = b.stream(ChatRequest.builder().user("Hi").model("scripted").build());
    var it = stream.iterator();
    assertTrue(it.hasNext());
    it.next();
    stream.cancel();
    assertTrue(served.model.cancelled.await(5, TimeUnit.SECONDS), "the served model saw the cancel");
    ChatResponse r = stream.await();
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertTrue(r.text().startsWith("tick"));
  }
}

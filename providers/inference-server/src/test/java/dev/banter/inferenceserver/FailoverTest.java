package dev.banter.inferenceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatStream;
import dev.banter.api.RateLimitedException;
import dev.banter.openai.Endpoint;
import dev.banter.openai.OpenAiBackend;
import dev.banter.openai.testing.MockServer;
import dev.banter.openai.testing.RefusedPort;
import dev.banter.openai.testing.Reply;
import dev.banter.openai.testing.Streams;
import dev.banter.openai.testing.Transcripts;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two endpoints: balancing, endpoint failover before the first token, health checks taking an
 * endpoint out and putting it back. Where retries live: core retries a failed request with
 * backoff; this backend only moves a request that failed before its first token to another
 * endpoint, once per endpoint, and never after a token reached the caller.
 */
@Timeout(30)
class FailoverTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String TEXT = Transcripts.load("openai-text.sse");
  private static final String JSON = Transcripts.load("openai-text.json");

  private MockServer a;
  private MockServer b;
  private Backend backend;

  @BeforeEach
  void start() {
    a = healthy(MockServer.start());
    b = healthy(MockServer.start());
  }

  private static MockServer healthy(MockServer s) {
    s.on("/health", Reply.json(200, "{\"status\":\"ok\"}"));
    s.on(CHAT, Reply.json(200, JSON));
    return s;
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    a.close();
    b.close();
  }

  /**
   * Timeouts well above any lag of a loaded machine: no test here wants one to fire, and a slow
   * health probe would take a healthy endpoint out of the rotation.
   */
  private Backend backend(String endpoints, String healthInterval) {
    backend = new InferenceServerProvider().create(BackendConfig.builder("inference-server")
        .set("endpoints", endpoints).set("model", "m").set("health-interval", healthInterval)
        .set("health-timeout", "5s").set("connect-timeout", "5s").set("idle-timeout", "10s")
        .environment(n -> null).build());
    return backend;
  }

  private Backend both(String healthInterval) {
    return backend(a.baseUrl() + "," + b.baseUrl(), healthInterval);
  }

  private EndpointPool pool() {
    return (EndpointPool) ((OpenAiBackend) backend).client().endpoints();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void a_500_on_one_endpoint_is_answered_by_the_other() {
    a.on(CHAT, Reply.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":500}}"));
    b.on(CHAT, Reply.json(200, JSON));
    Backend be = both("0");
    for (int i = 0; i < 4; i++) {
      assertEquals("Hello there!", be.chat(ChatRequest.of("hi")).text());
    }
    a.on(CHAT, Reply.json(500, "{}"));
    b.on(CHAT, Reply.sse(TEXT));
    for (int i = 0; i < 4; i++) {
      assertEquals("Hello there!", Streams.drain(be.stream(ChatRequest.of("hi"))).text());
    }
  }

  @Test
  void a_500_with_a_single_endpoint_reaches_the_caller_as_retryable_for_core_to_retry() {
    a.on(CHAT, Reply.json(500, "{}"), Reply.json(200, JSON));
    Backend be = backend(a.baseUrl(), "0");
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> be.chat(ChatRequest.of("hi")));
    assertTrue(e.retryable());
    assertEquals("Hello there!", be.chat(ChatRequest.of("hi")).text());
  }

  @Test
  void connection_refused_on_one_endpoint_moves_the_request_to_the_other() {
    try (RefusedPort dead = RefusedPort.reserve()) {
      Backend be = backend(dead.baseUrl() + "," + b.baseUrl(), "1h");
      b.on(CHAT, Reply.sse(TEXT));
      for (int i = 0; i < 4; i++) {
        Streams s = Streams.drain(be.stream(ChatRequest.of("hi")));
        assertNull(s.error);
        assertEquals("Hello there!", s.text());
      }
      assertFalse(pool().isHealthy(Endpoint.parse(dead.baseUrl())));
    }
  }

  @Test
  void without_health_checks_a_failing_endpoint_stays_in_rotation() {
    try (RefusedPort dead = RefusedPort.reserve()) {
      Backend be = backend(dead.baseUrl() + "," + b.baseUrl(), "0");
      assertEquals("Hello there!", be.chat(ChatRequest.of("hi")).text());
      assertEquals("Hello there!", be.chat(ChatRequest.of("hi")).text());
      assertTrue(pool().isHealthy(Endpoint.parse(dead.baseUrl())));
    }
  }

  @Test
  void rate_limited_on_both_endpoints_reaches_the_caller() {
    a.on(CHAT, Reply.json(429, "{}", "Retry-After", "2"));
    b.on(CHAT, Reply.json(429, "{}", "Retry-After", "2"));
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> both("0").chat(ChatRequest.of("hi")));
    assertTrue(e.retryAfter().isPresent());
    assertEquals(1, a.requests(CHAT).size());
    assertEquals(1, b.requests(CHAT).size());
  }

  @Test
  void a_reset_after_the_first_token_is_not_moved_and_no_token_is_repeated() {
    a.on(CHAT, Reply.sseThenReset(TEXT.substring(0, TEXT.indexOf("\n\n", TEXT.indexOf("Hel")) + 2)));
    b.on(CHAT, Reply.sseThenReset(TEXT.substring(0, TEXT.indexOf("\n\n", TEXT.indexOf("Hel")) + 2)));
    Streams s = Streams.drain(both("0").stream(ChatRequest.of("hi")));
    assertEquals("Hel", s.text());
    assertInstanceOf(BackendUnavailableException.class, s.error);
    assertEquals(1, a.requests(CHAT).size() + b.requests(CHAT).size());
  }

  /**
   * Counts the request down on {@code arrived}, then answers with {@code then} only once
   * {@code gate} completes: until then the request stays outstanding on its endpoint.
   */
  private static Reply heldUntil(CountDownLatch arrived, CompletableFuture<Void> gate, Reply then) {
    return (req, vertx) -> {
      Context context = vertx.getOrCreateContext();
      arrived.countDown();
      gate.thenRun(() -> context.runOnContext(v -> then.send(req, vertx)));
    };
  }

  @Test
  void concurrent_streams_spread_over_the_least_busy_endpoints() throws Exception {
    // No stream may end (and free its endpoint) before all six have picked theirs, however
    // slowly the machine opens them.
    CountDownLatch arrived = new CountDownLatch(6);
    CompletableFuture<Void> gate = new CompletableFuture<>();
    a.on(CHAT, heldUntil(arrived, gate, Reply.eventByEvent(TEXT, 5)));
    b.on(CHAT, heldUntil(arrived, gate, Reply.eventByEvent(TEXT, 5)));
    Backend be = both("0");
    List<ChatStream> streams = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      streams.add(be.stream(ChatRequest.of("hi")));
    }
    assertTrue(arrived.await(20, TimeUnit.SECONDS), "all six requests reached a server");
    gate.complete(null);
    for (ChatStream s : streams) {
      assertEquals("Hello there!", Streams.drain(s).text());
    }
    assertEquals(3, a.requests(CHAT).size());
    assertEquals(3, b.requests(CHAT).size());
    assertEquals(0, pool().outstanding(Endpoint.parse(a.baseUrl())));
  }

  @Test
  void killing_one_endpoint_moves_traffic_to_the_other_and_it_returns_when_healthy() throws Exception {
    Backend be = both("100ms");
    Endpoint ea = Endpoint.parse(a.baseUrl());
    Endpoint eb = Endpoint.parse(b.baseUrl());
    await(() -> pool().isHealthy(ea) && pool().isHealthy(eb), "both endpoints are healthy");
    for (int i = 0; i < 6; i++) {
      assertEquals("Hello there!", be.chat(ChatRequest.of("hi")).text());
    }
    assertFalse(a.requests(CHAT).isEmpty());
    assertFalse(b.requests(CHAT).isEmpty());

    int port = a.port();
    a.close();
    // The killed endpoint's port stays reserved (bound, nobody listening: connections are
    // refused) so that no other socket takes it before the server comes back on it.
    try (RefusedPort killed = RefusedPort.reserve(port)) {
      await(() -> !pool().isHealthy(ea), "the health check marks the killed endpoint down");
      int before = b.requests(CHAT).size();
      b.on(CHAT, Reply.json(200, JSON));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          boolean stream = i % 2 == 0;
          answers.add(pool.submit(() -> stream ? be.stream(ChatRequest.of("hi")).await().text()
              : be.chat(ChatRequest.of("hi")).text()));
        }
        for (Future<String> f : answers) {
          assertEquals("Hello there!", f.get());
        }
      } finally {
        pool.shutdown();
      }
      assertEquals(before + 20, b.requests(CHAT).size());
    }

    a = healthy(MockServer.start(port));
    await(() -> pool().isHealthy(ea), "the health check puts the revived endpoint back");
    for (int i = 0; i < 6; i++) {
      be.chat(ChatRequest.of("hi"));
    }
    assertFalse(a.requests(CHAT).isEmpty());
  }

  @Test
  void a_server_without_health_route_is_checked_through_its_model_list() throws Exception {
    a.on("/health", Reply.json(404, "{}"));
    a.on("/v1/models", Reply.json(200, "{\"data\":[{\"id\":\"m\"}]}"));
    b.on("/health", Reply.json(503, "{\"error\":{\"message\":\"Loading model\",\"type\":\"unavailable_error\",\"code\":503}}"));
    both("100ms");
    Endpoint eb = Endpoint.parse(b.baseUrl());
    await(() -> !pool().isHealthy(eb), "the loading server is marked down");
    assertTrue(pool().isHealthy(Endpoint.parse(a.baseUrl())));
    for (int i = 0; i < 4; i++) {
      backend.chat(ChatRequest.of("hi"));
    }
    assertTrue(b.requests(CHAT).isEmpty());
    assertEquals(4, a.requests(CHAT).size());
  }
}

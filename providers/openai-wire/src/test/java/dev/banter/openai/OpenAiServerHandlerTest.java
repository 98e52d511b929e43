package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.AuthenticationException;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.RateLimitedException;
import dev.banter.api.TokenLogprob;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.ToolSpec;
import dev.banter.api.Usage;
import dev.banter.openai.testing.ScriptedChatModel;
import dev.banter.openai.testing.Streams;
import dev.banter.spi.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server half, exercised with Banter's own client and with raw HTTP. */
@Timeout(30)
class OpenAiServerHandlerTest {
  private static final String SERVER_KEY = "serve-key-0123456789";

  private Vertx vertx;
  private HttpServer server;
  private ScriptedChatModel model;
  private OpenAiClient client;
  private HttpClientAgent raw;

  private static <T> T join(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    model = new ScriptedChatModel();
    startServer(OpenAiServerHandler.builder(model).apiKey(Secret.of(SERVER_KEY)).maxConcurrentRequests(2)
        .maxBodyBytes(64 * 1024).build());
    raw = vertx.createHttpClient();
  }

  private void startServer(OpenAiServerHandler handler) throws Exception {
    if (server != null) {
      join(server.close());
    }
    server = join(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    if (client != null) {
      client.close();
    }
    client = OpenAiClient.builder("served").endpoint(Endpoint.parse("http://127.0.0.1:" + server.actualPort() + "/v1"))
        .apiKey(Secret.of(SERVER_KEY)).idleTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    join(vertx.close());
  }

  private static final class Raw {
    int status;
    String body;
    String retryAfter;
    String contentType;
    io.vertx.core.MultiMap headers;
  }

  private Raw post(String path, String body, String key) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI(path).putHeader("Content-Type", "application/json");
    if (key != null) {
      o.putHeader("Authorization", "Bearer " + key);
    }
    return send(o, body);
  }

  private Raw send(RequestOptions o, String body) throws Exception {
    // Started on the event loop: composed from a plain thread, the response could end before
    // body() is attached, and its body would be lost.
    java.util.concurrent.CompletableFuture<Raw> out = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> exchange(o, body).onComplete(ar -> {
      if (ar.succeeded()) {
        out.complete(ar.result());
      } else {
        out.completeExceptionally(ar.cause());
      }
    }));
    return out.get(10, TimeUnit.SECONDS);
  }

  private io.vertx.core.Future<Raw> exchange(RequestOptions o, String body) {
    return raw.request(o)
        .compose(r -> body == null ? r.send() : r.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> {
          Raw out = new Raw();
          out.status = resp.statusCode();
          out.retryAfter = resp.getHeader("Retry-After");
          out.contentType = resp.getHeader("Content-Type");
          out.headers = resp.headers();
          out.body = b.toString();
          return out;
        }));
  }

  @Test
  void a_model_that_cannot_list_its_models_still_answers_requests_naming_one() {
    model.modelsFailure = new dev.banter.api.BackendUnavailableException("the primary backend is down", "xai", null);
    ChatResponse r = client.chat(ChatRequest.builder().user("Hi").model("grok-4").build());
    assertEquals("Hello there!", r.text(), "a fallback behind the model may answer although the list failed");
  }

  @Test
  void an_executor_that_refuses_work_gets_a_503_not_a_hung_request() throws Exception {
    startServer(OpenAiServerHandler.builder(model).apiKey(Secret.of(SERVER_KEY)).executor(work -> {
      throw new java.util.concurrent.RejectedExecutionException("queue full");
    }).build());
    Raw r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", SERVER_KEY);
    assertEquals(503, r.status, r.body);
  }

  @Test
  void a_whole_answer_comes_back_through_banters_client_with_usage() {
    ChatResponse r = client.chat(ChatRequest.builder().user("Hi").model("scripted").build());
    assertEquals("Hello there!", r.text());
    assertEquals(Optional.of(Usage.of(9, 3)), r.usage());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals("Hi", model.requests.get(0).messages().get(0).content());
  }

  @Test
  void a_stream_comes_back_chunk_by_chunk_with_the_usage_chunk() {
    ChatStream stream = client.stream(ChatRequest.builder().user("Hi").model("scripted").build());
    Streams s = Streams.drain(stream);
    assertNull(s.error);
    assertEquals("Hello there!", s.text());
    assertEquals(3, s.chunks.size());
    ChatResponse r = stream.await();
    assertEquals(Optional.of(Usage.of(9, 3)), r.usage());
    assertEquals(FinishReason.STOP, r.finishReason());
  }

  @Test
  void the_sse_body_has_role_then_deltas_then_finish_then_usage_then_done_with_one_id() throws Exception {
    Raw r = post("/v1/chat/completions", "{\"model\":\"scripted\",\"stream\":true,\"stream_options\":"
        + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", SERVER_KEY);
    assertEquals(200, r.status);
    assertTrue(r.contentType.startsWith("text/event-stream"));
    String[] events = r.body.split("\n\n");
    assertEquals(7, events.length, r.body);
    JsonNode role = Json.tree(events[0].substring(6));
    assertEquals("assistant", role.at("/choices/0/delta/role").asText());
    String id = role.get("id").asText();
    long created = role.get("created").asLong();
    for (int i = 1; i < 6; i++) {
      JsonNode e = Json.tree(events[i].substring(6));
      assertEquals(id, e.get("id").asText());
      assertEquals(created, e.get("created").asLong());
    }
    assertEquals("stop", Json.tree(events[4].substring(6)).at("/choices/0/finish_reason").asText());
    JsonNode usage = Json.tree(events[5].substring(6));
    assertEquals(0, usage.get("choices").size());
    assertEquals(12, usage.at("/usage/total_tokens").asInt());
    assertEquals("data: [DONE]", events[6]);
  }

  @Test
  void tool_calls_and_reasoning_stream_through() {
    model.chunks.set(List.of(ChatChunk.ofReasoning("thinking"),
        ChatChunk.ofToolCall(ToolCallDelta.start(0, "call_1", "get_weather", "{\"city\":")),
        ChatChunk.ofToolCall(ToolCallDelta.arguments(0, "\"Oslo\"}"))));
    ChatStream stream = client.stream(ChatRequest.builder().user("Weather?").model("scripted")
        .tools(ToolSpec.of("get_weather", "", "{\"type\":\"object\"}")).build());
    Streams s = Streams.drain(stream);
    assertEquals("thinking", s.reasoning());
    ChatResponse r = stream.await();
    assertEquals(List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}")), r.message().toolCalls());
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
    assertEquals("get_weather", model.requests.get(0).tools().get(0).name());
  }

  @Test
  void a_wrong_or_missing_key_gets_401() throws Exception {
    OpenAiClient wrong = OpenAiClient.builder("served").endpoint(client.endpoints().all().get(0))
        .apiKey(Secret.of("nope")).build();
    try {
      assertThrows(AuthenticationException.class, () -> wrong.chat(ChatRequest.builder().user("Hi").model("scripted").build()));
    } finally {
      wrong.close();
    }
    Raw r = post("/v1/chat/completions", "{}", null);
    assertEquals(401, r.status);
    assertEquals("authentication_error", Json.tree(r.body).at("/error/type").asText());
    assertTrue(model.requests.isEmpty());
  }

  @Test
  void an_unknown_model_gets_404_naming_the_model_parameter() throws Exception {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> client.chat(ChatRequest.builder().user("Hi").model("gpt-9").build()));
    assertEquals("model", e.parameter().orElseThrow());
    Raw r = post("/v1/chat/completions", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        SERVER_KEY);
    assertEquals(404, r.status);
    assertEquals("model", Json.tree(r.body).at("/error/param").asText());
  }

  @Test
  void a_rate_limited_model_gets_429_with_retry_after() throws Exception {
    model.failure.set(new RateLimitedException("slow down", "scripted", Duration.ofSeconds(3), null));
    RateLimitedException e = assertThrows(RateLimitedException.class,
        () -> client.chat(ChatRequest.builder().user("Hi").model("scripted").build()));
    assertEquals(Duration.ofSeconds(3), e.retryAfter().orElseThrow());
    Streams s = Streams.drain(client.stream(ChatRequest.builder().user("Hi").model("scripted").build()));
    assertInstanceOf(RateLimitedException.class, s.error);
  }

  @Test
  void context_overflow_gets_400_context_length_exceeded_with_param_messages() throws Exception {
    model.failure.set(new ContextLengthExceededException("too long", "scripted", 5000, 4096, null));
    Raw r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true}",
        SERVER_KEY);
    assertEquals(400, r.status);
    JsonNode error = Json.tree(r.body).get("error");
    assertEquals("context_length_exceeded", error.get("code").asText());
    assertEquals("messages", error.get("param").asText());
    ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
        () -> client.chat(ChatRequest.builder().user("Hi").model("scripted").build()));
    assertEquals(4096, e.contextLimit().getAsInt());
    assertEquals(5000, e.promptTokens().getAsInt());
  }

  @Test
  void an_unavailable_model_gets_503_and_a_failure_mid_stream_an_error_event() throws Exception {
    model.failure.set(new BackendUnavailableException("down", "scripted", null));
    Raw r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", SERVER_KEY);
    assertEquals(503, r.status);
    assertEquals("1", r.retryAfter);
    model.failAfterChunks = 1;
    Streams s = Streams.drain(client.stream(ChatRequest.builder().user("Hi").model("scripted").build()));
    assertEquals("Hel", s.text());
    assertInstanceOf(BackendUnavailableException.class, s.error);
  }

  @Test
  void bad_requests_get_400_with_the_parameter() throws Exception {
    Raw notJson = post("/v1/chat/completions", "{nope", SERVER_KEY);
    assertEquals(400, notJson.status);
    Raw temp = post("/v1/chat/completions", "{\"temperature\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        SERVER_KEY);
    assertEquals(400, temp.status);
    assertEquals("temperature", Json.tree(temp.body).at("/error/param").asText());
    Raw image = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"x\"}}]}]}", SERVER_KEY);
    assertEquals(400, image.status);
    Raw big = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000)
        + "\"}]}", SERVER_KEY);
    assertEquals(413, big.status);
  }

  @Test
  void models_and_health_answer() throws Exception {
    assertEquals("scripted", client.models().get(0).id());
    assertEquals(4096, client.models().get(0).contextLength().getAsInt());
    Raw health = send(new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/health"), null);
    assertEquals(200, health.status);
    assertTrue(client.probe(client.endpoints().all().get(0), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS));
    Raw unknown = send(new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/v2/x"), null);
    assertEquals(404, unknown.status);
  }

  @Test
  void one_model_is_retrieved_by_id_and_an_unknown_one_is_model_not_found() throws Exception {
    Raw card = send(new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/v1/models/scripted")
        .putHeader("Authorization", "Bearer " + SERVER_KEY), null);
    assertEquals(200, card.status, card.body);
    JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(card.body);
    assertEquals("scripted", json.get("id").asText());
    assertEquals("model", json.get("object").asText());
    assertEquals(4096, json.get("max_model_len").asInt());

    Raw missing = send(new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/v1/models/Org%2FRepo-GGUF:Q8_0").putHeader("Authorization", "Bearer " + SERVER_KEY), null);
    assertEquals(404, missing.status, missing.body);
    JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(missing.body).get("error");
    assertEquals("model_not_found", error.get("code").asText());
    assertEquals("model", error.get("param").asText());
    assertTrue(error.get("message").asText().contains("'Org/Repo-GGUF:Q8_0'"), error.toString());

    Raw anonymous = send(new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/v1/models/scripted"), null);
    assertEquals(401, anonymous.status, "behind the API key like the list");
  }

  @Test
  void chunks_and_answers_carry_the_serving_model_id_when_the_request_names_none() throws Exception {
    Raw streamed = post("/v1/chat/completions",
        "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", SERVER_KEY);
    assertEquals(200, streamed.status, streamed.body);
    assertTrue(streamed.body.contains("\"model\":\"scripted\""), streamed.body);
    assertTrue(!streamed.body.contains("\"model\":\"banter\""), streamed.body);
    Raw whole = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        SERVER_KEY);
    assertEquals(200, whole.status, whole.body);
    assertTrue(whole.body.contains("\"model\":\"scripted\""), whole.body);
  }

  @Test
  void browser_origins_are_allowed_only_when_configured() throws Exception {
    Raw without = send(new RequestOptions().setMethod(HttpMethod.OPTIONS).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/chat/completions").putHeader("Origin", "https://app.example")
        .putHeader("Access-Control-Request-Method", "POST"), null);
    assertNull(without.headers.get("Access-Control-Allow-Origin"), "CORS is off by default");

    startServer(OpenAiServerHandler.builder(model).apiKey(Secret.of(SERVER_KEY))
        .corsOrigin("https://app.example").build());
    Raw preflight = send(new RequestOptions().setMethod(HttpMethod.OPTIONS).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/chat/completions").putHeader("Origin", "https://app.example")
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "authorization, content-type, x-stainless-os"), null);
    assertEquals(204, preflight.status, "a preflight needs no API key");
    assertEquals("https://app.example", preflight.headers.get("Access-Control-Allow-Origin"));
    assertTrue(preflight.headers.get("Access-Control-Allow-Methods").contains("POST"));
    assertEquals("authorization, content-type, x-stainless-os", preflight.headers.get("Access-Control-Allow-Headers"));

    RequestOptions call = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/chat/completions").putHeader("Content-Type", "application/json")
        .putHeader("Authorization", "Bearer " + SERVER_KEY).putHeader("Origin", "https://app.example");
    Raw answer = send(call, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(200, answer.status, answer.body);
    assertEquals("https://app.example", answer.headers.get("Access-Control-Allow-Origin"));

    Raw other = send(new RequestOptions().setMethod(HttpMethod.OPTIONS).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/v1/chat/completions").putHeader("Origin", "https://evil.example")
        .putHeader("Access-Control-Request-Method", "POST"), null);
    assertNull(other.headers.get("Access-Control-Allow-Origin"), "another origin is not allowed");
    assertThrows(IllegalArgumentException.class,
        () -> OpenAiServerHandler.builder(model).corsOrigin("app.example/path"));
  }

  @Test
  void the_concurrency_limit_answers_429_with_retry_after() throws Exception {
    model.hold = new java.util.concurrent.CountDownLatch(1);
    ChatStream a = client.stream(ChatRequest.builder().user("1").model("scripted").build());
    ChatStream b = client.stream(ChatRequest.builder().user("2").model("scripted").build());
    assertTrue(model.streamsStarted.tryAcquire(2, 10, TimeUnit.SECONDS), "both streams reached the model");
    Raw third = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", SERVER_KEY);
    model.hold.countDown();
    assertEquals(429, third.status);
    assertEquals("1", third.retryAfter);
    assertEquals("Hello there!", a.await().text());
    assertEquals("Hello there!", b.await().text());
  }

  @Test
  void a_client_disconnect_cancels_the_models_stream() throws Exception {
    model.delayMillis = 100;
    model.chunks.set(java.util.Collections.nCopies(100, ChatChunk.ofText("tick ")));
    ChatStream stream = client.stream(ChatRequest.builder().user("Hi").model("scripted").build());
    var it = stream.iterator();
    assertTrue(it.hasNext());
    it.next();
    stream.cancel();
    assertTrue(model.cancelled.await(5, TimeUnit.SECONDS), "the model's stream was cancelled");
    assertEquals(FinishReason.CANCELLED, stream.await().finishReason());
  }

  @Test
  void a_failure_before_the_first_chunk_of_a_stream_still_gets_a_real_status() throws Exception {
    model.failure.set(new InvalidRequestException("bad stop", "scripted", "stop", null));
    Raw r = post("/v1/chat/completions", "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        SERVER_KEY);
    assertEquals(400, r.status);
    assertEquals("stop", Json.tree(r.body).at("/error/param").asText());
    assertTrue(r.contentType.startsWith("application/json"));
  }

  @Test
  void a_client_that_stalls_its_body_gets_408_and_frees_its_slot() throws Exception {
    startServer(OpenAiServerHandler.builder(model).apiKey(Secret.of(SERVER_KEY)).maxConcurrentRequests(1)
        .bodyTimeout(Duration.ofMillis(300)).build());
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + SERVER_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"messages\":")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(in.readLine().startsWith("HTTP/1.1 408"), "the stalled request is answered 408");
    }
    assertEquals("Hello there!", client.chat(ChatRequest.builder().user("Hi").model("scripted").build()).text(),
        "the slot was released");
  }

  @Test
  void issue17_a_null_tool_call_gets_400_and_frees_its_slot() throws Exception {
    startServer(OpenAiServerHandler.builder(model).apiKey(Secret.of(SERVER_KEY)).maxConcurrentRequests(1).build());
    for (int i = 0; i < 3; i++) {
      Raw r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
          + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[null]},"
          + "{\"role\":\"user\",\"content\":\"y\"}]}", SERVER_KEY);
      assertEquals(400, r.status, r.body);
      assertEquals("messages[1].tool_calls", Json.tree(r.body).at("/error/param").asText(), r.body);
    }
    assertEquals("Hello there!", client.chat(ChatRequest.builder().user("Hi").model("scripted").build()).text(),
        "the one slot is free again");
  }

  @Test
  void issue17_a_whole_answer_whose_client_leaves_is_cancelled_and_holds_its_slot_until_the_model_stops()
      throws Exception {
    OpenAiServerHandler handler = OpenAiServerHandler.builder(model).apiKey(Secret.of(SERVER_KEY))
        .maxConcurrentRequests(1).build();
    startServer(handler);
    model.delayMillis = 50;
    model.chunks.set(java.util.Collections.nCopies(400, ChatChunk.ofText("tick ")));
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.actualPort())) {
      String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
      socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + SERVER_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
          + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      assertTrue(model.streamsStarted.tryAcquire(10, TimeUnit.SECONDS), "the answer is being generated");
      assertEquals(1, handler.inFlight());
    }
    assertTrue(model.cancelled.await(5, TimeUnit.SECONDS), "the client left, so the model's work is cancelled");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (handler.inFlight() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, handler.inFlight(), "the slot frees once the generation has stopped");
    model.chunks.set(List.of(ChatChunk.ofText("ok")));
    model.delayMillis = 0;
    assertEquals("ok", client.chat(ChatRequest.builder().user("Hi").model("scripted").build()).text());
  }

  @Test
  void logprobs_reach_the_backend_and_come_back_in_openais_shape_whole_and_streamed() throws Exception {
    TokenLogprob hel = new TokenLogprob("Hel", -0.25, List.of(72, 101, 108),
        List.of(new TokenLogprob.Alternative("Hel", -0.25, List.of(72, 101, 108)),
            new TokenLogprob.Alternative("Hi", -1.5, List.of(72, 105))));
    TokenLogprob lo = new TokenLogprob("lo there", Double.NEGATIVE_INFINITY, List.of(108, 111),
        List.of());
    model.answer.set(ChatResponse.builder().text("Hello there!").usage(Usage.of(9, 3)).model("scripted")
        .logprobs(List.of(hel, lo)).build());
    model.chunks.set(List.of(ChatChunk.ofText("Hel").withLogprobs(List.of(hel)),
        ChatChunk.ofText("lo there").withLogprobs(List.of(lo)), ChatChunk.ofText("!")));
    String body = "{\"logprobs\":true,\"top_logprobs\":2,\"parallel_tool_calls\":false,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    Raw whole = post("/v1/chat/completions", body + "}", SERVER_KEY);
    assertEquals(200, whole.status, whole.body);
    assertTrue(model.requests.get(0).options().logprobs());
    assertEquals(2, model.requests.get(0).options().topLogprobs().getAsInt());
    assertEquals(Optional.of(false), model.requests.get(0).parallelToolCalls());
    JsonNode content = Json.tree(whole.body).at("/choices/0/logprobs/content");
    assertEquals(2, content.size(), whole.body);
    assertEquals("Hel", content.at("/0/token").asText());
    assertEquals(-0.25, content.at("/0/logprob").asDouble());
    assertEquals("[72,101,108]", content.at("/0/bytes").toString());
    assertEquals("Hi", content.at("/0/top_logprobs/1/token").asText());
    assertEquals(-9999.0, content.at("/1/logprob").asDouble(), "JSON has no -Infinity; OpenAI's floor stands in");
    Raw streamed = post("/v1/chat/completions", body + ",\"stream\":true}", SERVER_KEY);
    assertEquals(200, streamed.status, streamed.body);
    assertTrue(streamed.body.contains("\"logprobs\":{\"content\":[{\"token\":\"Hel\""), streamed.body);

    // Banter's own client reads them back, whole and streamed.
    ChatRequest asked = ChatRequest.builder().user("hi").model("scripted")
        .options(GenerationOptions.builder().logprobs(true).topLogprobs(2).build()).build();
    ChatResponse r = client.chat(asked);
    assertEquals(List.of(hel, new TokenLogprob("lo there", -9999.0, List.of(108, 111), List.of())), r.logprobs());
    List<TokenLogprob> fromChunks = new java.util.ArrayList<>();
    try (ChatStream stream = client.stream(asked)) {
      stream.forEach(c -> fromChunks.addAll(c.logprobs()));
      assertEquals(r.logprobs(), stream.completion().toCompletableFuture().get(10, TimeUnit.SECONDS).logprobs());
    }
    assertEquals(r.logprobs(), fromChunks);
  }

  @Test
  void thinking_is_turned_off_by_reasoning_effort_none_or_the_chat_template_kwargs() throws Exception {
    String user = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    assertEquals(200, post("/v1/chat/completions", "{\"reasoning_effort\":\"none\"," + user + "}", SERVER_KEY).status);
    assertEquals(Optional.of(false), model.requests.get(0).options().thinking());
    assertEquals(200, post("/v1/chat/completions",
        "{\"chat_template_kwargs\":{\"enable_thinking\":true}," + user + "}", SERVER_KEY).status);
    assertEquals(Optional.of(true), model.requests.get(1).options().thinking());
    assertEquals(200, post("/v1/chat/completions", "{" + user + "}", SERVER_KEY).status);
    assertEquals(Optional.empty(), model.requests.get(2).options().thinking());
    Raw bad = post("/v1/chat/completions", "{\"chat_template_kwargs\":{\"enable_thinking\":\"no\"}," + user + "}",
        SERVER_KEY);
    assertEquals(400, bad.status, bad.body);
    assertEquals("chat_template_kwargs", Json.tree(bad.body).at("/error/param").asText());
  }

  @Test
  void top_logprobs_without_logprobs_or_out_of_range_is_refused_naming_the_parameter() throws Exception {
    Raw alone = post("/v1/chat/completions", "{\"top_logprobs\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        SERVER_KEY);
    assertEquals(400, alone.status, alone.body);
    assertEquals("top_logprobs", Json.tree(alone.body).at("/error/param").asText());
    Raw many = post("/v1/chat/completions",
        "{\"logprobs\":true,\"top_logprobs\":21,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", SERVER_KEY);
    assertEquals(400, many.status, many.body);
    assertEquals("top_logprobs", Json.tree(many.body).at("/error/param").asText());
  }

  @Test
  void issue17_head_health_answers_200_without_a_body() throws Exception {
    Raw head = send(new RequestOptions().setMethod(HttpMethod.HEAD).setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/health"), null);
    assertEquals(200, head.status);
    assertEquals("", head.body);
  }
}

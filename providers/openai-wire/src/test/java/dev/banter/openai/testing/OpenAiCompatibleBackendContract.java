package dev.banter.openai.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.AuthenticationException;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ConfigurationException;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.GenerationTimeoutException;
import dev.banter.api.ProtocolException;
import dev.banter.api.RateLimitedException;
import dev.banter.api.ResponseFormat;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolSpec;
import dev.banter.api.Usage;
import dev.banter.spi.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every OpenAI-compatible backend must do against a server speaking its dialect: answers
 * whole and streamed with usage and tool calls, the request on the wire, and the failures —
 * each fault test checks that no token is lost or duplicated and that the caller gets the right
 * exception. A provider's test extends this class, supplies {@link #create(Map)} and overrides
 * the transcripts with its own dialect's. spi's general backend contract runs beside it, through
 * {@link ServedBackendContract}.
 */
@Timeout(30)
public abstract class OpenAiCompatibleBackendContract {
  /** The API key every backend under test is given; it must never show up anywhere. */
  protected static final String KEY = "sk-test-S3CR3T-0123456789abcdefXYZ";
  protected static final String CHAT = "/v1/chat/completions";
  protected static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Current weather for a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
  protected static final ToolSpec TIME = ToolSpec.of("get_time", "", "{\"type\":\"object\",\"properties\":{}}");

  protected MockServer server;
  private final List<Backend> backends = new ArrayList<>();

  /** The backend under test, created through its provider from these settings. */
  protected abstract Backend create(Map<String, String> settings);

  /** A streamed answer "Hello there!" in the dialect. */
  protected String textStream() {
    return Transcripts.load("openai-text.sse");
  }

  /** The usage {@link #textStream()} reports, as Banter normalises it. */
  protected Usage textStreamUsage() {
    return new Usage(9, 3, 4, 0);
  }

  /** A whole answer "Hello there!" in the dialect. */
  protected String textJson() {
    return Transcripts.load("openai-text.json");
  }

  protected Usage textJsonUsage() {
    return new Usage(9, 3, 4, 0);
  }

  /** A streamed answer calling get_weather({"city":"Oslo"}) (and possibly more tools). */
  protected String toolStream() {
    return Transcripts.load("openai-tools.sse");
  }

  /** A 400-ish body saying the prompt is too long, with its status and the numbers in it. */
  protected String contextLengthBody() {
    return Transcripts.load("openai-context-length.json");
  }

  protected int contextLengthStatus() {
    return 400;
  }

  protected int contextLengthPrompt() {
    return 338;
  }

  protected int contextLengthLimit() {
    return 8192;
  }

  /** The status and body with which the dialect refuses a bad key (the key echoed into it). */
  protected int badKeyStatus() {
    return 401;
  }

  protected String badKeyBody() {
    return Transcripts.load("openai-401.json").replace("%s", KEY);
  }

  /** The field the dialect sends the token limit in. */
  protected String maxTokensField() {
    return "max_completion_tokens";
  }

  @BeforeEach
  void startServer() {
    server = MockServer.start();
  }

  @AfterEach
  void stopAll() {
    backends.forEach(Backend::close);
    server.close();
  }

  /**
   * A backend pointed at the mock server, plus {@code extra} key/value settings. Its timeouts are
   * far below the test timeout but far above any lag of a loaded machine, so that only the tests
   * that stall a stream on purpose (and set a short limit for it) ever see one fire.
   */
  protected Backend backend(String... extra) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("base-url", server.baseUrl());
    s.put("model", "test-model");
    s.put("api-key", KEY);
    s.put("connect-timeout", "5s");
    s.put("first-byte-timeout", "10s");
    s.put("idle-timeout", "10s");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      s.put(extra[i], extra[i + 1]);
    }
    Backend b = create(s);
    backends.add(b);
    return b;
  }

  @Test
  void an_invalid_context_length_is_a_configuration_error_that_leaves_nothing_running() {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    for (String bad : List.of("-1", "many")) {
      Map<String, String> s = new LinkedHashMap<>();
      s.put("base-url", server.baseUrl());
      s.put("model", "test-model");
      s.put("api-key", KEY);
      s.put("context-length", bad);
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> create(s));
      assertEquals(java.util.Optional.of("context-length"), e.field(), e.getMessage());
    }
    List<String> started = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && t.isAlive() && (t.getName().startsWith("vert.x") || t.getName().startsWith("vertx"))) {
        started.add(t.getName());
      }
    }
    assertEquals(List.of(), started, "a backend that failed to be created must not leave a Vert.x instance running");
  }

  protected static ChatRequest hello() {
    return ChatRequest.of("Hi!");
  }

  // ---------------------------------------------------------------- answers

  @Test
  void chat_returns_the_text_usage_and_finish_reason() {
    server.on(CHAT, Reply.json(200, textJson()));
    ChatResponse r = backend().chat(hello());
    assertEquals("Hello there!", r.text());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(Optional.of(textJsonUsage()), r.usage());
    JsonNode sent = server.lastRequest(CHAT).json();
    assertEquals("test-model", sent.get("model").asText());
    assertFalse(sent.has("stream") && sent.get("stream").asBoolean());
    assertEquals("Bearer " + KEY, server.lastRequest(CHAT).header("Authorization"));
  }

  @Test
  void stream_delivers_every_token_once_in_order_then_the_usage() {
    server.on(CHAT, Reply.eventByEvent(textStream(), 2));
    ChatStream stream = backend().stream(hello());
    Streams s = Streams.drain(stream);
    assertNull(s.error);
    assertEquals("Hello there!", s.text());
    ChatResponse r = stream.await();
    assertEquals("Hello there!", r.text());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(Optional.of(textStreamUsage()), r.usage());
    JsonNode sent = server.lastRequest(CHAT).json();
    assertTrue(sent.get("stream").asBoolean());
    assertTrue(sent.get("stream_options").get("include_usage").asBoolean());
  }

  @Test
  void stream_split_into_tiny_packets_gives_the_same_answer() {
    byte[] all = textStream().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < all.length; i += 7) {
      packets.add(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 7)));
    }
    server.on(CHAT, Reply.packets(packets, 0));
    ChatStream stream = backend().stream(hello());
    assertEquals("Hello there!", Streams.drain(stream).text());
    assertEquals(Optional.of(textStreamUsage()), stream.await().usage());
  }

  @Test
  void streamed_tool_calls_arrive_as_deltas_and_assemble_into_the_message() {
    server.on(CHAT, Reply.eventByEvent(toolStream(), 1));
    ChatStream stream = backend().stream(ChatRequest.builder().user("Weather in Oslo?").tools(WEATHER, TIME).build());
    Streams s = Streams.drain(stream);
    assertNull(s.error);
    StringBuilder args = new StringBuilder();
    String name = "";
    for (var c : s.chunks) {
      for (ToolCallDelta d : c.toolCalls()) {
        if (d.index() == 0) {
          args.append(d.argumentsFragment());
          name = d.name().orElse(name);
        }
      }
    }
    assertEquals("get_weather", name);
    assertEquals("{\"city\":\"Oslo\"}", args.toString().replace(" ", ""));
    ChatResponse r = stream.await();
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
    ToolCall first = r.message().toolCalls().get(0);
    assertEquals("get_weather", first.name());
    assertEquals("{\"city\":\"Oslo\"}", first.arguments().replace(" ", ""));
    assertFalse(first.id().isEmpty());
  }

  @Test
  void tools_tool_choice_response_format_and_options_go_out_in_the_wire_format() {
    server.on(CHAT, Reply.json(200, textJson()));
    backend().chat(ChatRequest.builder().system("Be brief.").user("Weather?")
        .tools(WEATHER).toolChoice(ToolChoice.function("get_weather"))
        .responseFormat(ResponseFormat.jsonSchema("weather", "{\"type\":\"object\"}", true))
        .options(GenerationOptions.builder().temperature(0.5).topP(0.9).maxTokens(64).stop("END").seed(7).build())
        .build());
    JsonNode sent = server.lastRequest(CHAT).json();
    assertEquals("system", sent.get("messages").get(0).get("role").asText());
    JsonNode tool = sent.get("tools").get(0);
    assertEquals("function", tool.get("type").asText());
    assertEquals("get_weather", tool.get("function").get("name").asText());
    assertEquals("object", tool.get("function").get("parameters").get("type").asText());
    assertEquals("get_weather", sent.get("tool_choice").get("function").get("name").asText());
    assertEquals("json_schema", sent.get("response_format").get("type").asText());
    assertEquals("weather", sent.get("response_format").get("json_schema").get("name").asText());
    assertTrue(sent.get("response_format").get("json_schema").get("strict").asBoolean());
    assertEquals(0.5, sent.get("temperature").asDouble());
    assertEquals(64, sent.get(maxTokensField()).asInt());
    assertEquals("END", sent.get("stop").get(0).asText());
    assertEquals(7, sent.get("seed").asLong());
  }

  // ---------------------------------------------------------------- faults

  @Test
  void connection_refused_is_backend_unavailable() {
    try (RefusedPort dead = RefusedPort.reserve()) {
      Backend b = backend("base-url", dead.baseUrl());
      BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> b.chat(hello()));
      assertTrue(e.retryable());
      Streams s = Streams.drain(b.stream(hello()));
      assertInstanceOf(BackendUnavailableException.class, s.error);
      assertTrue(s.chunks.isEmpty());
    }
  }

  @Test
  void reset_before_the_first_byte_is_backend_unavailable() {
    server.on(CHAT, Reply.resetBeforeResponse());
    Streams s = Streams.drain(backend().stream(hello()));
    assertInstanceOf(BackendUnavailableException.class, s.error);
    assertTrue(s.chunks.isEmpty());
    assertThrows(BackendUnavailableException.class, () -> backend().chat(hello()));
  }

  @Test
  void reset_in_the_middle_of_a_stream_keeps_the_partial_text_then_fails_unavailable() {
    String all = textStream();
    int cut = all.indexOf("lo there");
    String partial = all.substring(0, all.indexOf("\n\n", cut) + 2);
    server.on(CHAT, Reply.sseThenReset(partial));
    Streams s = Streams.drain(backend().stream(hello()));
    assertEquals(partialTextBefore(partial), s.text());
    assertInstanceOf(BackendUnavailableException.class, s.error);
    assertFalse(s.error instanceof GenerationTimeoutException);
  }

  /** The text in the events of {@code partial}; "Hello there" for the default transcripts. */
  protected String partialTextBefore(String partial) {
    return "Hello there";
  }

  @Test
  void a_stalled_stream_times_out_between_tokens() {
    String all = textStream();
    String partial = all.substring(0, all.indexOf("\n\n", all.indexOf("lo there")) + 2);
    // the whole partial answer goes out in one write, then the server is silent for good; the
    // silence is noticed at the idle limit, long before the first-byte limit would run out
    server.on(CHAT, Reply.sseThenStall(partial));
    Backend b = backend("idle-timeout", "400ms", "first-byte-timeout", "10m");
    Streams s = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Streams.drain(b.stream(hello())));
    assertEquals("Hello there", s.text());
    GenerationTimeoutException e = assertInstanceOf(GenerationTimeoutException.class, s.error);
    assertEquals(GenerationTimeoutException.Phase.BETWEEN_TOKENS, e.phase());
    assertEquals(Duration.ofMillis(400), e.limit());
    assertFalse(e.retryable());
  }

  @Test
  void no_first_byte_times_out_as_first_token() {
    server.on(CHAT, Reply.delayed(-1, null));
    Backend b = backend("first-byte-timeout", "300ms");
    GenerationTimeoutException e = assertThrows(GenerationTimeoutException.class, () -> b.chat(hello()));
    assertEquals(GenerationTimeoutException.Phase.FIRST_TOKEN, e.phase());
    assertTrue(e.retryable());
  }

  @Test
  void rate_limit_carries_the_retry_after_duration() {
    server.on(CHAT, Reply.json(429, Transcripts.load("openai-429.json"), "Retry-After", "7"));
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> backend().chat(hello()));
    assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
    server.on(CHAT, Reply.json(429, Transcripts.load("openai-429.json"), "retry-after-ms", "1500"));
    Streams s = Streams.drain(backend().stream(hello()));
    assertEquals(Duration.ofMillis(1500), ((RateLimitedException) s.error).retryAfter().orElseThrow());
  }

  @Test
  void server_error_is_retryable_backend_unavailable() {
    server.on(CHAT, Reply.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":500}}"));
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> backend().chat(hello()));
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("boom"), e.getMessage());
  }

  @Test
  void a_refused_key_is_an_authentication_error_that_never_shows_the_key() {
    server.on(CHAT, Reply.json(badKeyStatus(), badKeyBody()));
    try (LogCapture logs = new LogCapture()) {
      Backend b = backend();
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> b.chat(hello()));
      Streams s = Streams.drain(b.stream(hello()));
      assertInstanceOf(AuthenticationException.class, s.error);
      server.on(CHAT, Reply.sseThenReset(textStream().substring(0, 200)));
      Streams.drain(b.stream(hello()));
      for (String text : List.of(e.getMessage(), String.valueOf(e), s.error.getMessage(), b.toString(),
          logs.text())) {
        assertFalse(text.contains(KEY), text);
        assertFalse(text.contains(KEY.substring(0, KEY.length() - 4)), text);
      }
    }
  }

  @Test
  void context_overflow_is_reported_with_the_numbers() {
    server.on(CHAT, Reply.json(contextLengthStatus(), contextLengthBody()));
    ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
        () -> backend().chat(hello()));
    assertEquals(contextLengthPrompt(), e.promptTokens().orElse(-1));
    assertEquals(contextLengthLimit(), e.contextLimit().orElse(-1));
    assertFalse(e.retryable());
  }

  @Test
  void a_malformed_json_chunk_is_a_protocol_exception_after_the_good_text() {
    String all = textStream();
    String good = all.substring(0, all.indexOf("\n\n", all.indexOf("Hel")) + 2);
    server.on(CHAT, Reply.sse(good + "data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n"));
    Streams s = Streams.drain(backend().stream(hello()));
    assertEquals("Hel", s.text());
    assertInstanceOf(ProtocolException.class, s.error);
    assertTrue(s.error.getMessage().contains("malformed JSON"), s.error.getMessage());
  }

  @Test
  void a_ten_megabyte_line_fails_with_a_protocol_exception_without_reading_it_all() {
    AtomicLong written = new AtomicLong();
    long size = 10L << 20;
    server.on(CHAT, Reply.hugeLine(size, written));
    Streams s = Streams.drain(backend().stream(hello()));
    ProtocolException e = assertInstanceOf(ProtocolException.class, s.error);
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    assertTrue(s.chunks.isEmpty());
  }

  @Test
  void an_answer_streaming_past_the_size_limit_fails_instead_of_growing_without_end() {
    StringBuilder endless = new StringBuilder();
    String piece = "0123456789012345678901234567890123456789";
    for (int i = 0; i < 200; i++) {
      endless.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece)
          .append("\"},\"finish_reason\":null}]}\n\n");
    }
    server.on(CHAT, Reply.sse(endless.toString()));
    Streams s = Streams.drain(backend("max-answer-size", "2048").stream(hello()));
    ProtocolException e = assertInstanceOf(ProtocolException.class, s.error);
    assertTrue(e.getMessage().contains("max-answer-size"), e.getMessage());
    assertTrue(s.text().length() <= 2048, "delivered " + s.text().length() + " characters");
  }

  @Test
  void token_counts_past_the_int_range_saturate_instead_of_hanging_the_call() {
    String absurd = "\"timings\":{\"prompt_n\":2147483647,\"cache_n\":5,\"predicted_n\":1}";
    server.on(CHAT, Reply.json(200, "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]," + absurd + "}"));
    assertEquals(Integer.MAX_VALUE, backend().chat(hello()).usage().orElseThrow().promptTokens());
    server.on(CHAT, Reply.sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
        + "\"finish_reason\":\"stop\"}]," + absurd + "}\n\n"));
    ChatStream stream = backend().stream(hello());
    assertEquals("Hi", Streams.drain(stream).text());
    assertEquals(Integer.MAX_VALUE, stream.await().usage().orElseThrow().promptTokens());
  }

  @Test
  void eof_without_done_after_every_choice_finished_completes_normally() {
    String all = textStream();
    server.on(CHAT, Reply.sse(all.substring(0, all.indexOf("data: [DONE]"))));
    ChatStream stream = backend().stream(hello());
    Streams s = Streams.drain(stream);
    assertNull(s.error);
    assertEquals("Hello there!", s.text());
    assertEquals(FinishReason.STOP, stream.await().finishReason());
  }

  @Test
  void eof_without_done_before_the_answer_finished_is_a_protocol_exception() {
    String all = textStream();
    String partial = all.substring(0, all.indexOf("\n\n", all.indexOf("lo there")) + 2);
    server.on(CHAT, Reply.sse(partial));
    Streams s = Streams.drain(backend().stream(hello()));
    assertEquals("Hello there", s.text());
    ProtocolException e = assertInstanceOf(ProtocolException.class, s.error);
    assertTrue(e.getMessage().contains("[DONE]"), e.getMessage());
  }

  @Test
  void cancel_closes_the_connection_and_completes_with_the_partial_answer() throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    String all = textStream();
    String first = all.substring(0, all.indexOf("\n\n", all.indexOf("Hel")) + 2);
    server.on(CHAT, (req, vertx) -> {
      req.response().closeHandler(v -> closed.countDown());
      req.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write(first);
      vertx.setPeriodic(20, id -> {
        if (req.response().closed()) {
          vertx.cancelTimer(id);
        } else {
          req.response().write(": still thinking\n\n");
        }
      });
    });
    ChatStream stream = backend().stream(hello());
    var it = stream.iterator();
    StringBuilder seen = new StringBuilder();
    while (seen.length() == 0 && it.hasNext()) {
      seen.append(it.next().text());
    }
    assertEquals("Hel", seen.toString());
    stream.cancel();
    ChatResponse r = stream.await();
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertEquals("Hel", r.text());
    assertTrue(r.usage().isEmpty() || r.usage().get().promptTokens() > 0,
        "issue #17: a cancelled stream has the usage the server reported before it (vLLM's continuous usage),"
            + " or none, never a count of zeros: " + r.usage());
    assertTrue(closed.await(5, TimeUnit.SECONDS), "the server saw the connection close");
  }

  @Test
  void the_key_is_not_in_the_backends_description() {
    Backend b = backend();
    assertFalse(b.toString().contains(KEY), b.toString());
    assertNotNull(b.capabilities());
  }

  @Test
  void backend_errors_name_the_backend() {
    server.on(CHAT, Reply.json(500, "{}"));
    BanterException e = assertThrows(BanterException.class, () -> backend().chat(hello()));
    assertTrue(e.backendId().isPresent());
  }
}

package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.AuthenticationException;
import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.RateLimitedException;
import dev.banter.openai.testing.Transcripts;
import dev.banter.spi.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
  private static final String KEY = "xai-0123456789abcdefghij";
  private final ErrorMapper mapper = new ErrorMapper("t", "Set KEY.", new Redactor(Secret.of(KEY)));

  private BanterException map(int status, String body) {
    return mapper.fromResponse(status, body, null, "http://h:1/v1");
  }

  private ContextLengthExceededException context(int status, String transcript) {
    return assertInstanceOf(ContextLengthExceededException.class, map(status, Transcripts.load(transcript)));
  }

  @Test
  void a_refused_parameter_is_named_in_wire_form_whatever_the_backend_called_it() {
    assertEquals("response_format", ServerError.of(new InvalidRequestException("no json", "local", "responseFormat", null))
        .param);
    assertEquals("max_tokens", ServerError.of(new InvalidRequestException("x", "local", "maxTokens", null)).param);
    assertEquals("stop", ServerError.of(new InvalidRequestException("x", "local", "stopSequences", null)).param);
    assertEquals("messages", ServerError.of(new InvalidRequestException("x", "local", "messages", null)).param);
    assertEquals("tool_choice", ServerError.of(new InvalidRequestException("x", "local", "tool_choice", null)).param);
    assertEquals(null, ServerError.of(new InvalidRequestException("x", "local", null, null)).param);
  }

  @Test
  void context_length_errors_of_every_server_carry_their_numbers() {
    ContextLengthExceededException openai = context(400, "openai-context-length.json");
    assertEquals(338, openai.promptTokens().getAsInt());
    assertEquals(8192, openai.contextLimit().getAsInt());
    ContextLengthExceededException vllm = context(400, "vllm-context-length.json");
    assertEquals(5000, vllm.promptTokens().getAsInt());
    assertEquals(4096, vllm.contextLimit().getAsInt());
    ContextLengthExceededException llama = context(400, "llamacpp-context-length.json");
    assertEquals(1305, llama.promptTokens().getAsInt());
    assertEquals(1024, llama.contextLimit().getAsInt());
    ContextLengthExceededException tgi = context(422, "tgi-context-length.json");
    assertEquals(4000, tgi.promptTokens().getAsInt());
    assertEquals(4096, tgi.contextLimit().getAsInt());
    ContextLengthExceededException sglang = context(400, "sglang-context-length.json");
    assertEquals(61709, sglang.promptTokens().getAsInt());
    assertEquals(40960, sglang.contextLimit().getAsInt());
  }

  @Test
  void ollama_and_vllm_max_tokens_overflows_are_context_errors_too() {
    assertInstanceOf(ContextLengthExceededException.class, map(400,
        "{\"error\":{\"message\":\"the input length exceeds the context length\",\"type\":\"invalid_request_error\","
            + "\"param\":null,\"code\":null}}"));
    ContextLengthExceededException v = assertInstanceOf(ContextLengthExceededException.class, map(400,
        "{\"error\":{\"message\":\"'max_tokens' or 'max_completion_tokens' is too large: 500. This model's maximum"
            + " context length is 2048 tokens and your request has 1600 input tokens (500 > 2048 - 1600).\","
            + "\"type\":\"BadRequestError\",\"param\":\"max_tokens\",\"code\":400}}"));
    assertEquals(2048, v.contextLimit().getAsInt());
    assertEquals(1600, v.promptTokens().getAsInt());
  }

  @Test
  void xai_flat_errors_are_read_and_a_bad_key_on_400_is_authentication() {
    InvalidRequestException e = assertInstanceOf(InvalidRequestException.class,
        map(400, Transcripts.load("xai-error-400.json")));
    assertTrue(e.getMessage().contains("single `text` element"), e.getMessage());
    AuthenticationException a = assertInstanceOf(AuthenticationException.class,
        map(400, Transcripts.load("xai-bad-key-400.json").replace("%s", KEY)));
    assertFalse(a.getMessage().contains(KEY), a.getMessage());
    assertTrue(a.getMessage().contains("Set KEY."));
  }

  @Test
  void unknown_model_404_names_the_model_parameter() {
    InvalidRequestException e = assertInstanceOf(InvalidRequestException.class,
        map(404, Transcripts.load("openai-404-model.json")));
    assertEquals("model", e.parameter().orElseThrow());
  }

  @Test
  void validation_422_and_plain_text_500_map_by_status() {
    InvalidRequestException v = assertInstanceOf(InvalidRequestException.class,
        map(422, "{\"error\":\"Input validation error: `temperature` must be strictly positive\",\"error_type\":\"validation\"}"));
    assertTrue(v.getMessage().contains("temperature"));
    BackendUnavailableException u = assertInstanceOf(BackendUnavailableException.class, map(500, "Internal Server Error"));
    assertTrue(u.getMessage().contains("Internal Server Error"));
    assertInstanceOf(BackendUnavailableException.class, map(503,
        "{\"error\":{\"message\":\"Loading model\",\"type\":\"unavailable_error\",\"code\":503}}"));
  }

  @Test
  void in_stream_errors_map_by_their_content() {
    assertInstanceOf(BackendUnavailableException.class,
        mapper.fromStreamEvent("{\"error\":{\"message\":\"engine died\",\"type\":\"InternalServerError\",\"code\":500}}", "x"));
    assertInstanceOf(ContextLengthExceededException.class, mapper.fromStreamEvent(
        "{\"error\":{\"message\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 10\","
            + "\"http_status_code\":422}}", "x"));
    assertInstanceOf(InvalidRequestException.class,
        mapper.fromStreamEvent("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}", "x"));
  }

  @Test
  void retry_after_reads_ms_seconds_and_http_dates() {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    assertEquals(Duration.ofMillis(1500), RetryAfter.parse("1500", "9", clock));
    assertEquals(Duration.ofMillis(2500), RetryAfter.parse(null, "2.5", clock));
    assertEquals(Duration.ofSeconds(30), RetryAfter.parse(null, "Thu, 01 Jan 2026 00:00:30 GMT", clock));
    assertEquals(Duration.ZERO, RetryAfter.parse(null, "Wed, 31 Dec 2025 23:00:00 GMT", clock));
    assertEquals(null, RetryAfter.parse("soon", "later", clock));
    RateLimitedException r = assertInstanceOf(RateLimitedException.class,
        mapper.fromResponse(429, "{}", Duration.ofSeconds(3), "x"));
    assertEquals(Duration.ofSeconds(3), r.retryAfter().orElseThrow());
    assertEquals("3", RetryAfter.header(Duration.ofMillis(2001)));
  }
}

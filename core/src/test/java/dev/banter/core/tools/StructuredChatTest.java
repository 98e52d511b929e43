package dev.banter.core.tools;

import static dev.banter.core.tools.ScriptedToolsBackend.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ConfigurationException;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ResponseFormat;
import dev.banter.api.Role;
import dev.banter.api.StructuredOutputException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StructuredChatTest {
  enum Sky { CLEAR, CLOUDY, RAIN }

  record Weather(String city, double celsius, Sky sky, Optional<String> warning) {}

  private final ScriptedToolsBackend backend = new ScriptedToolsBackend();

  @Test
  void a_good_answer_becomes_the_typed_value_and_the_request_carries_the_strict_schema() {
    try (ChatModel model = backend.then(text("{\"city\":\"Oslo\",\"celsius\":7.5,\"sky\":\"RAIN\",\"warning\":null}"))
        .model()) {
      Structured<Weather> s = StructuredChat.of(model).chat(ChatRequest.of("Weather in Oslo?"), Weather.class);
      assertEquals(new Weather("Oslo", 7.5, Sky.RAIN, Optional.empty()), s.value());
      assertEquals(1, s.attempts());
      ResponseFormat format = backend.requests.get(0).responseFormat();
      assertEquals(ResponseFormat.jsonSchema("Weather", JsonSchemas.strict(Weather.class), true), format);
    }
  }

  record Price(java.math.BigDecimal amount, double approx) {}

  @Test
  void a_decimal_keeps_every_digit_the_model_wrote() {
    try (ChatModel model = backend.then(text("{\"amount\":12345678901234567890.50,\"approx\":0.1}")).model()) {
      Price p = StructuredChat.of(model).value("Price?", Price.class);
      assertEquals(new java.math.BigDecimal("12345678901234567890.50"), p.amount());
      assertEquals(0.1, p.approx());
    }
  }

  @Test
  void an_answer_in_a_markdown_fence_is_accepted() {
    try (ChatModel model = backend.then(text("```json\n{\"city\":\"Oslo\",\"celsius\":-2,\"sky\":\"CLEAR\","
        + "\"warning\":\"ice\"}\n```")).model()) {
      Weather w = StructuredChat.of(model).value("Weather in Oslo?", Weather.class);
      assertEquals(new Weather("Oslo", -2, Sky.CLEAR, Optional.of("ice")), w);
    }
  }

  @Test
  void a_bad_answer_is_sent_back_once_and_the_repair_is_used() {
    try (ChatModel model = backend.then(
        text("{\"city\":\"Oslo\",\"sky\":\"SNOW\",\"warning\":null}"),
        text("{\"city\":\"Oslo\",\"celsius\":0,\"sky\":\"CLOUDY\",\"warning\":null}")).model()) {
      Structured<Weather> s = StructuredChat.of(model).chat(ChatRequest.of("Weather in Oslo?"), Weather.class);
      assertEquals(Sky.CLOUDY, s.value().sky());
      assertEquals(2, s.attempts());
      List<Message> repair = backend.requests.get(1).messages();
      assertEquals(3, repair.size());
      assertEquals(Role.ASSISTANT, repair.get(1).role());
      assertTrue(repair.get(2).content().contains("$.celsius: required property missing"), repair.get(2).content());
      assertTrue(repair.get(2).content().contains("\"SNOW\" is not one of"), repair.get(2).content());
      assertEquals(backend.requests.get(0).responseFormat(), backend.requests.get(1).responseFormat());
    }
  }

  @Test
  void no_json_after_the_repair_fails_with_the_answer_and_the_problem() {
    try (ChatModel model = backend.then(text("It is rainy in Oslo."), text("Sorry, rainy!")).model()) {
      StructuredOutputException e = assertThrows(StructuredOutputException.class,
          () -> StructuredChat.of(model).value("Weather in Oslo?", Weather.class));
      assertEquals(2, e.attempts());
      assertEquals("Sorry, rainy!", e.rawText());
      assertEquals("Weather", e.schemaName());
      assertTrue(e.problem().startsWith("no valid JSON"), e.problem());
      assertTrue(e.getMessage().contains("Sorry, rainy!"), e.getMessage());
      assertTrue(e.getMessage().contains("allow repair attempts"), e.getMessage());
    }
  }

  @Test
  void without_repair_attempts_the_first_bad_answer_fails() {
    try (ChatModel model = backend.then(text("{\"city\":\"Oslo\"}")).model()) {
      StructuredOutputException e = assertThrows(StructuredOutputException.class,
          () -> StructuredChat.builder(model).repairAttempts(0).build().value("Weather?", Weather.class));
      assertEquals(1, e.attempts());
      assertEquals(1, backend.requests.size());
      assertTrue(e.problem().contains("$.celsius: required property missing"), e.problem());
    }
  }

  @Test
  void a_long_answer_is_quoted_only_in_part() {
    String longText = "x".repeat(5000);
    try (ChatModel model = backend.then(text(longText)).model()) {
      StructuredOutputException e = assertThrows(StructuredOutputException.class,
          () -> StructuredChat.builder(model).repairAttempts(0).build().value("Weather?", Weather.class));
      assertEquals(longText, e.rawText());
      assertTrue(e.getMessage().length() < 1000, "message length " + e.getMessage().length());
      assertTrue(e.getMessage().contains("5000 chars in all"), e.getMessage());
    }
  }

  @Test
  void text_after_the_json_object_is_a_problem() {
    try (ChatModel model = backend.then(text("{\"city\":\"Oslo\",\"celsius\":1,\"sky\":\"RAIN\",\"warning\":null}"
        + " Hope that helps!")).model()) {
      assertThrows(StructuredOutputException.class,
          () -> StructuredChat.builder(model).repairAttempts(0).build().value("Weather?", Weather.class));
    }
  }

  @Test
  void a_backend_that_refuses_json_formats_is_asked_in_words_and_still_checked() {
    try (ChatModel model = backend.then(
        r -> {
          throw new InvalidRequestException("no JSON modes here", "scripted-tools", "responseFormat", null);
        },
        text("{\"city\":\"Oslo\",\"celsius\":3,\"sky\":\"CLEAR\",\"warning\":null}")).model()) {
      Weather w = StructuredChat.of(model).value("Weather in Oslo?", Weather.class);
      assertEquals("Oslo", w.city());
      ChatRequest retried = backend.requests.get(1);
      assertEquals(ResponseFormat.text(), retried.responseFormat());
      String prompt = retried.messages().get(0).content();
      assertTrue(prompt.startsWith("Weather in Oslo?\n\nAnswer with only a JSON object"), prompt);
      assertTrue(prompt.endsWith(JsonSchemas.strict(Weather.class)), prompt);
    }
  }

  @Test
  void other_invalid_requests_are_not_retried() {
    try (ChatModel model = backend.then(r -> {
      throw new InvalidRequestException("unknown model", "scripted-tools", "model", null);
    }).model()) {
      assertThrows(InvalidRequestException.class, () -> StructuredChat.of(model).value("Weather?", Weather.class));
      assertEquals(1, backend.requests.size());
    }
  }

  @Test
  void the_schema_can_be_stated_in_the_prompt_as_well() {
    try (ChatModel model = backend.then(text("{\"city\":\"Oslo\",\"celsius\":3,\"sky\":\"CLEAR\","
        + "\"warning\":null}")).model()) {
      StructuredChat.builder(model).schemaInPrompt(true).build().value("Weather?", Weather.class);
      ChatRequest sent = backend.requests.get(0);
      assertEquals(ResponseFormat.Type.JSON_SCHEMA, sent.responseFormat().type());
      assertTrue(sent.messages().get(0).content().contains(JsonSchemas.strict(Weather.class)));
    }
  }

  @Test
  void a_type_jackson_cannot_build_is_a_configuration_error_not_a_bad_answer() {
    try (ChatModel model = backend.then(text("{\"city\":\"Oslo\"}")).model()) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> StructuredChat.of(model).value("City?", Lonely.class));
      assertTrue(e.getMessage().contains("Jackson cannot create"), e.getMessage());
      assertEquals(1, backend.requests.size(), "no repair was asked for");
    }
  }

  /** A property Jackson reads from a field, but no constructor it may call. */
  static final class Lonely {
    public String city;

    private Lonely(String city, int a, int b) {
      this.city = city;
    }
  }

  @Test
  void a_scalar_type_is_refused_before_any_call() {
    try (ChatModel model = backend.model()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> StructuredChat.of(model).value("A number?", Integer.class));
      assertTrue(e.getMessage().contains("record or class with properties"), e.getMessage());
      assertEquals(0, backend.requests.size());
    }
  }

  @Test
  void repair_attempts_cannot_be_negative() {
    try (ChatModel model = backend.model()) {
      assertThrows(IllegalArgumentException.class, () -> StructuredChat.builder(model).repairAttempts(-1));
    }
  }
}

package dev.banter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void a_request_needs_a_message_and_copies_its_lists() {
    assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().build());
    List<Message> msgs = new ArrayList<>(List.of(Message.user("hi")));
    ChatRequest r = ChatRequest.of(msgs);
    msgs.add(Message.user("later"));
    assertEquals(1, r.messages().size());
    assertThrows(UnsupportedOperationException.class, () -> r.messages().add(Message.user("x")));
  }

  @Test
  void to_builder_changes_one_field_and_keeps_the_rest() {
    ChatRequest r = ChatRequest.builder().user("hi").persona("witty").model("grok-4")
        .responseFormat(ResponseFormat.jsonObject()).build();
    ChatRequest other = r.toBuilder().persona("regular").build();
    assertEquals("regular", other.persona().get());
    assertEquals("grok-4", other.model().get());
    assertEquals(ResponseFormat.jsonObject(), other.responseFormat());
    assertEquals(r, r.toBuilder().build());
  }

  @Test
  void a_tool_choice_must_name_a_given_tool() {
    ToolSpec weather = ToolSpec.of("get_weather", "Weather", "{\"type\":\"object\"}");
    assertThrows(IllegalArgumentException.class,
        () -> ChatRequest.builder().user("x").toolChoice(ToolChoice.required()).build());
    assertThrows(IllegalArgumentException.class,
        () -> ChatRequest.builder().user("x").tools(weather).toolChoice(ToolChoice.function("nope")).build());
    assertEquals("function:get_weather", ChatRequest.builder().user("x").tools(weather)
        .toolChoice(ToolChoice.function("get_weather")).build().toolChoice().get().toString());
  }

  @Test
  void messages_keep_roles_and_tool_links_consistent() {
    assertThrows(IllegalArgumentException.class, () -> Message.tool("", "result"));
    ToolCall call = new ToolCall("c1", "f", "{}");
    Message m = Message.assistant("", List.of(call));
    assertEquals(List.of(call), m.toolCalls());
    assertEquals("c1", Message.tool("c1", "ok").toolCallId().get());
    assertFalse(Message.user("hi").toolCallId().isPresent());
    assertEquals(Role.TOOL, Role.parse("Tool"));
    assertThrows(IllegalArgumentException.class, () -> Role.parse("robot"));
  }

  @Test
  void tool_names_and_schemas_are_checked() {
    assertThrows(IllegalArgumentException.class, () -> ToolSpec.of("bad name", "", "{}"));
    assertThrows(IllegalArgumentException.class, () -> ToolSpec.of("ok", "", "[1]"));
  }

  @Test
  void persona_ids_prompts_and_traits_are_validated() {
    assertThrows(IllegalArgumentException.class, () -> Persona.builder("Witty"));
    assertThrows(IllegalArgumentException.class, () -> Persona.builder("ok").build());
    assertThrows(IllegalArgumentException.class, () -> new StyleTraits(1.5, 0, 0));
    Persona p = Persona.builder("pirate").systemPrompt("Arr.").example("Hi", "Ahoy").build();
    assertEquals("pirate", p.displayName());
    assertEquals(p, p.toBuilder().build());
    assertEquals(1, p.examples().size());
  }

  @Test
  void usage_and_timings_refuse_negative_numbers() {
    assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 0, 0, 0));
    assertEquals(12, Usage.of(5, 7).totalTokens());
    assertThrows(IllegalArgumentException.class, () -> Timings.of(Duration.ofMillis(-1), Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> new Timings(Duration.ZERO, Duration.ZERO, OptionalDouble.of(-1), OptionalDouble.empty()));
    Timings t = Timings.measured(0, 100_000_000, 1_100_000_000, 11);
    assertEquals(Duration.ofMillis(100), t.timeToFirstToken());
    assertEquals(10.0, t.tokensPerSecond().getAsDouble(), 1e-9);
    assertFalse(Timings.measured(0, 5, 10, 1).tokensPerSecond().isPresent(), "one token has no rate");
  }

  @Test
  void exceptions_carry_their_details() {
    RateLimitedException r = new RateLimitedException("slow", "xai", Duration.ofSeconds(3), null);
    assertEquals(Duration.ofSeconds(3), r.retryAfter().get());
    assertTrue(r.retryable());
    ContextLengthExceededException c = new ContextLengthExceededException("long", "local", 5000, 4096, null);
    assertEquals(5000, c.promptTokens().getAsInt());
    assertEquals(4096, c.contextLimit().getAsInt());
    assertFalse(c.retryable());
    assertFalse(new ContextLengthExceededException("?", null, -1, -1, null).promptTokens().isPresent());
    ModelLoadException m = new ModelLoadException("bad magic", "/m.gguf", 0);
    assertEquals(0, m.offset().getAsLong());
    GenerationTimeoutException g = new GenerationTimeoutException("t", "x", GenerationTimeoutException.Phase.BETWEEN_TOKENS,
        Duration.ofSeconds(1));
    assertFalse(g.retryable());
    assertTrue(new BackendUnavailableException("down", "x", null).retryable());
  }

  @Test
  void a_response_must_carry_an_assistant_message() {
    assertThrows(IllegalArgumentException.class,
        () -> ChatResponse.builder().message(Message.user("no")).build());
    ChatResponse r = ChatResponse.builder().text("yes").build();
    assertEquals("yes", r.text());
    assertEquals(FinishReason.STOP, r.finishReason());
    assertEquals(Optional.empty(), r.usage(), "absence is an empty Optional, never zeros");
    assertEquals(Optional.empty(), r.timings());
    assertEquals(Optional.empty(), r.model());
    assertEquals(Optional.empty(), r.backendId());
    assertThrows(IllegalArgumentException.class, () -> ChatResponse.builder().text("x").model(""));
  }

  @Test
  void a_tool_call_delta_carries_its_id_and_name_only_when_it_has_them() {
    ToolCallDelta start = ToolCallDelta.start(0, "call_1", "f", "{");
    ToolCallDelta more = ToolCallDelta.arguments(0, "}");
    assertEquals(Optional.of("call_1"), start.id());
    assertEquals(Optional.empty(), more.name());
    assertThrows(IllegalArgumentException.class, () -> new ToolCallDelta(0, Optional.of(""), Optional.empty(), ""));
    assertEquals(ToolCallDelta.start(1, "c", "g", "{}"), ToolCallDelta.of(1, new ToolCall("c", "g", "{}")));
  }

  @Test
  void a_listener_from_text_sends_text_to_one_consumer_and_failures_to_the_other() {
    StringBuilder text = new StringBuilder();
    java.util.List<BanterException> errors = new java.util.ArrayList<>();
    ChatListener l = ChatListener.onText(text::append, errors::add);
    l.onChunk(ChatChunk.ofText("a"));
    l.onChunk(ChatChunk.ofReasoning("hidden"));
    l.onError(new BanterException("boom"));
    assertEquals("a", text.toString());
    assertEquals(1, errors.size());
  }
}

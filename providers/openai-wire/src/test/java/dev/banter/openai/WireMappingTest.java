package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ChatRequest;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ResponseFormat;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireMappingTest {
  private static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Weather",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");

  private static JsonNode wire(ChatRequest r, Dialect d, boolean stream) throws Exception {
    return Json.tree(Json.writeString(WireMapping.toWire(r, "m", d, stream, "t")));
  }

  private static final ChatRequest FULL = ChatRequest.builder()
      .system("sys")
      .user("Weather in Oslo?")
      .message(Message.assistant("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"))))
      .message(Message.tool("call_1", "{\"temp_c\":4}"))
      .tools(WEATHER)
      .toolChoice(ToolChoice.required())
      .parallelToolCalls(false)
      .responseFormat(ResponseFormat.jsonObject())
      .options(GenerationOptions.builder().temperature(0.2).topK(40).minP(0.05).repetitionPenalty(1.1).seed(3)
          .maxTokens(100).stop("a", "b").build())
      .build();

  @Test
  void a_tool_round_trip_goes_out_as_openai_messages() throws Exception {
    JsonNode w = wire(FULL, Dialect.OPENAI, false);
    JsonNode assistant = w.get("messages").get(2);
    assertFalse(assistant.has("content"));
    assertEquals("call_1", assistant.get("tool_calls").get(0).get("id").asText());
    assertEquals("{\"city\":\"Oslo\"}", assistant.get("tool_calls").get(0).get("function").get("arguments").asText());
    JsonNode tool = w.get("messages").get(3);
    assertEquals("tool", tool.get("role").asText());
    assertEquals("call_1", tool.get("tool_call_id").asText());
    assertEquals("required", w.get("tool_choice").asText());
    assertFalse(w.get("parallel_tool_calls").asBoolean());
    assertEquals("json_object", w.get("response_format").get("type").asText());
  }

  @Test
  void openai_gets_max_completion_tokens_and_no_extra_sampling_fields() throws Exception {
    JsonNode w = wire(FULL, Dialect.OPENAI, false);
    assertEquals(100, w.get("max_completion_tokens").asInt());
    assertFalse(w.has("max_tokens"));
    assertFalse(w.has("top_k") || w.has("min_p") || w.has("repetition_penalty"));
    assertEquals(3, w.get("seed").asInt());
  }

  @Test
  void self_hosted_servers_get_max_tokens_and_the_extra_sampling_fields() throws Exception {
    JsonNode w = wire(FULL, Dialect.SELF_HOSTED, true);
    assertEquals(100, w.get("max_tokens").asInt());
    assertEquals(40, w.get("top_k").asInt());
    assertEquals(0.05, w.get("min_p").asDouble());
    assertEquals(1.1, w.get("repetition_penalty").asDouble());
    assertEquals(1.1, w.get("repeat_penalty").asDouble());
    assertTrue(w.get("stream_options").get("include_usage").asBoolean());
    assertEquals(2, w.get("stop").size());
  }

  @Test
  void unset_options_are_left_out() throws Exception {
    JsonNode w = wire(ChatRequest.of("hi"), Dialect.SELF_HOSTED, false);
    for (String f : List.of("temperature", "top_p", "top_k", "seed", "stop", "tools", "tool_choice", "parallel_tool_calls",
        "response_format", "max_tokens", "stream_options")) {
      assertFalse(w.has(f), f);
    }
  }

  @Test
  void a_schema_that_is_not_json_is_an_invalid_request_naming_the_parameter() {
    ChatRequest r = ChatRequest.builder().user("x").tools(ToolSpec.of("f", "", "{not json")).build();
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> WireMapping.toWire(r, "m", Dialect.OPENAI, false, "t"));
    assertEquals("tools", e.parameter().orElseThrow());
  }

  @Test
  void the_server_reads_back_what_the_client_writes() throws Exception {
    WireRequest w = Json.read(Json.writeString(WireMapping.toWire(FULL, "m", Dialect.SELF_HOSTED, false, "t")),
        WireRequest.class);
    ChatRequest back = ServerRequestMapper.toChatRequest(w);
    assertEquals(FULL.messages(), back.messages());
    assertEquals(FULL.options(), back.options());
    assertEquals(FULL.tools(), back.tools());
    assertEquals(FULL.toolChoice(), back.toolChoice());
    assertEquals(FULL.parallelToolCalls(), back.parallelToolCalls());
    assertEquals(FULL.responseFormat(), back.responseFormat());
    assertEquals("m", back.model().orElseThrow());
  }

  @Test
  void a_gbnf_response_format_is_refused_rather_than_dropped() {
    ChatRequest r = ChatRequest.builder().user("hi").responseFormat(ResponseFormat.grammar("root ::= \"yes\""))
        .build();
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> WireMapping.toWire(r, "m", Dialect.OPENAI, false, "t"));
    assertEquals("responseFormat", e.parameter().orElseThrow());
    assertTrue(e.getMessage().contains("GBNF"), e.getMessage());
  }
}

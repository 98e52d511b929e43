package dev.banter.local.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ToolSpec;
import dev.banter.template.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCallSyntaxTest {
  private static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Weather",
      "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}");
  private static final ToolSpec TIME = ToolSpec.of("get_time", "Time", "{\"type\": \"object\"}");

  @Test
  void one_tool_gives_one_object_with_the_name_as_a_constant() {
    Object schema = Json.parse(ToolCallFamily.HERMES.syntax().callSchema(List.of(WEATHER)));
    assertEquals(Json.parse("{\"type\": \"object\", \"properties\": {\"name\": {\"const\": \"get_weather\"}, "
        + "\"arguments\": " + WEATHER.parametersSchema() + "}, \"required\": [\"name\", \"arguments\"]}"), schema);
  }

  @Test
  void llama3_calls_its_arguments_parameters() {
    Map<?, ?> schema = (Map<?, ?>) Json.parse(ToolCallFamily.LLAMA3.syntax().callSchema(List.of(WEATHER)));
    assertTrue(((Map<?, ?>) schema.get("properties")).containsKey("parameters"));
    assertEquals(List.of("name", "parameters"), schema.get("required"));
  }

  @Test
  void several_tools_are_alternatives() {
    Map<?, ?> schema = (Map<?, ?>) Json.parse(ToolCallFamily.HERMES.syntax().callSchema(List.of(WEATHER, TIME)));
    assertEquals(2, ((List<?>) schema.get("anyOf")).size());
  }

  @Test
  void array_families_wrap_the_calls_in_an_array() {
    Map<?, ?> granite = (Map<?, ?>) Json.parse(ToolCallFamily.GRANITE.syntax().callSchema(List.of(WEATHER, TIME)));
    assertEquals("array", granite.get("type"));
    assertEquals(1L, granite.get("minItems"));
    Map<?, ?> mistral = (Map<?, ?>) Json.parse(ToolCallFamily.MISTRAL.syntax().callSchema(List.of(WEATHER)));
    Map<?, ?> item = (Map<?, ?>) mistral.get("items");
    assertTrue(((Map<?, ?>) item.get("properties")).containsKey("id"), "Mistral may write an id");
  }

  @Test
  void every_family_has_a_schema_that_is_json() {
    for (ToolCallFamily f : ToolCallFamily.values()) {
      Json.parse(f.syntax().callSchema(List.of(WEATHER, TIME)));
    }
  }

  @Test
  void forcing_texts_are_the_markup_models_write() {
    assertEquals("<tool_call>\n{\"name\": \"f\", \"arguments\": {}}\n</tool_call>", ToolCallFamily.HERMES.syntax().write("f", "{}"));
    assertEquals("{\"name\": \"f\", \"parameters\": {}}", ToolCallFamily.LLAMA3.syntax().write("f", "{}"));
    assertEquals("[TOOL_CALLS][{\"name\": \"f\", \"arguments\": {}}]", ToolCallFamily.MISTRAL.syntax().write("f", "{}"));
    assertEquals("<|channel|>commentary to=functions.f <|constrain|>json<|message|>{}<|call|>",
        ToolCallFamily.GPT_OSS.syntax().write("f", "{}"));
    assertEquals("{\"tool_call\": {\"name\": \"f\", \"arguments\": {}}}", ToolCallFamily.GENERIC.syntax().write("f", "{}"));
    assertEquals("<tool_call>\n<function=f>\n<parameter=a>\nx\n</parameter>\n</function>\n</tool_call>",
        ToolCallFamily.QWEN3_CODER.syntax().write("f", "{\"a\": \"x\"}"));
  }

  @Test
  void a_schema_needs_a_tool() {
    assertThrows(IllegalArgumentException.class, () -> ToolCallFamily.HERMES.syntax().callSchema(List.of()));
  }
}

package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tojson} writes what Python's {@code json.dumps(x, ensure_ascii=False)} writes, as Hugging
 * Face's and llama.cpp's template environments do.
 */
class TojsonTest {

  @Test
  void uses_pythons_separators_and_keeps_key_order() {
    assertEquals("{\"b\": [1, 2.5, null, true], \"a\": {}}",
        render("{{ v|tojson }}", "v", Render.variables("b", Arrays.asList(1, 2.5, null, true), "a", Map.of())));
  }

  @Test
  void escapes_quotes_backslashes_and_control_characters_but_not_non_ascii() {
    assertEquals("\"é😀 \\\"q\\\" \\\\ \\n\\t\\r\\b\\f \\u0001 \\u001f \u007f \u2028 <>&'\"",
        render("{{ v|tojson }}", "v", "é😀 \"q\" \\ \n\t\r\b\f \u0001 \u001f \u007f \u2028 <>&'"));
  }

  @Test
  void ensure_ascii_escapes_everything_beyond_ascii_as_utf16() {
    assertEquals("\"\\u00e9\\ud83d\\ude00\\u007f\"", render("{{ v|tojson(ensure_ascii=true) }}", "v", "é😀\u007f"));
  }

  @Test
  void indent_puts_items_on_lines_with_comma_separators() {
    assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    1,\n    {}\n  ],\n  \"c\": []\n}",
        render("{{ {'a': 1, 'b': [1, {}], 'c': []}|tojson(indent=2) }}"));
    assertEquals("[\n1\n]", render("{{ [1]|tojson(indent=0) }}"));
  }

  @Test
  void numbers_and_keys_convert_as_in_python() {
    assertEquals("{\"a\": 1.0, \"b\": 1e+100, \"c\": -0.0, \"d\": 123456789012345678}",
        render("{{ {'a': a, 'b': b, 'c': c, 'd': 123456789012345678}|tojson }}", "a", 1.0, "b", 1e100, "c", -0.0));
    assertEquals("{\"1\": \"a\", \"null\": \"b\", \"false\": \"c\", \"1.5\": \"d\"}",
        render("{{ {1: 'a', none: 'b', false: 'c', f: 'd'}|tojson }}", "f", 1.5));
    assertEquals("{\"1\": \"c\"}", render("{{ {1: 'a', true: 'c'}|tojson }}"));
    assertEquals("[NaN, Infinity]", render("{{ [v, w]|tojson }}", "v", Double.NaN, "w", Double.POSITIVE_INFINITY));
  }

  @Test
  void tool_arguments_render_as_llama_3_expects() {
    Object call = Map.of("name", "get_weather", "arguments", Render.variables("city", "Paris", "days", 2));
    assertEquals("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"days\": 2}}",
        render("{{ '{\"name\": \"' + c.name + '\", ' }}{{ '\"parameters\": ' }}{{ c.arguments | tojson }}{{ '}' }}",
            "c", call));
  }

  @Test
  void undefined_values_cannot_be_serialized() {
    TemplateException e = assertThrows(TemplateException.class, () -> render("{{ x|tojson }}"));
    assertEquals("line 1, column 6: Object of type Undefined is not JSON serializable ('x' is undefined)", e.getMessage());
    assertThrows(TemplateException.class, () -> render("{{ {(1, 2): 3}|tojson }}"));
    assertEquals("[\"a\"]", render("{{ v|tojson }}", "v", List.of("a")));
  }
}

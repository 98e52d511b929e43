package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jinja's default undefined: harmless to print, test and iterate; an error for anything else. */
class UndefinedTest {

  @Test
  void prints_as_nothing_and_is_false() {
    assertEquals("[]no", render("[{{ missing }}]{% if missing %}yes{% else %}no{% endif %}"));
  }

  @Test
  void has_length_zero_iterates_as_empty_and_joins_with_tilde() {
    assertEquals("0||ab", render("{{ missing|length }}|{% for x in missing %}x{% endfor %}|{{ 'a' ~ missing ~ 'b' }}"));
  }

  @Test
  void text_filters_and_default_accept_it() {
    assertEquals("|||d|[]", render("{{ missing|trim }}|{{ missing|upper }}|{{ missing|string }}|{{ missing|default('d') }}|"
        + "{{ missing|list }}"));
  }

  @Test
  void a_missing_attribute_or_key_of_a_defined_value_is_undefined() {
    assertEquals("False False False", render("{{ m.nope is defined }} {{ m['nope'] is defined }} {{ 'str'.nope is defined }}",
        "m", Map.of("a", 1)));
    assertEquals("False", render("{{ types[m.nope] is defined }}", "types", Map.of("string", "str"), "m", Map.of()));
  }

  @Test
  void an_attribute_of_undefined_fails_naming_the_variable() {
    TemplateException e = assertThrows(TemplateException.class, () -> render("{{ missing.attribute }}"));
    assertEquals("line 1, column 11: 'missing' is undefined", e.getMessage());
    assertEquals(1, e.line().getAsInt());
    assertEquals(11, e.column().getAsInt());
  }

  @Test
  void arithmetic_calls_and_comparisons_with_undefined_fail() {
    assertThrows(TemplateException.class, () -> render("{{ missing + 'a' }}"));
    assertThrows(TemplateException.class, () -> render("{{ missing() }}"));
    assertThrows(TemplateException.class, () -> render("{{ missing < 1 }}"));
    assertThrows(TemplateException.class, () -> render("{{ missing[0] }}"));
    TemplateException e = assertThrows(TemplateException.class, () -> render("{{ m.content.startswith('x') }}", "m", Map.of()));
    assertEquals("line 1, column 13: 'dict object' has no attribute 'content'", e.getMessage());
  }

  @Test
  void equality_with_undefined_is_allowed() {
    assertEquals("False True", render("{{ missing == 1 }} {{ missing == other }}"));
  }
}

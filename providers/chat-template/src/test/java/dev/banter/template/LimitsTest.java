package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile templates end with a {@link TemplateException}: never a StackOverflowError, an
 * OutOfMemoryError or a render that does not end.
 */
class LimitsTest {

  @Test
  void endless_macro_recursion_stops_at_the_call_depth_limit() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"));
    assertTrue(e.getMessage().contains("calls nest deeper than " + Limits.MAX_CALL_DEPTH + " levels (in 'f')"), e.getMessage());
  }

  @Test
  void too_many_loop_iterations_stop_at_the_step_limit() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> render("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"));
    assertTrue(e.getMessage().contains("more than " + Limits.MAX_STEPS + " steps"), e.getMessage());
  }

  @Test
  void doubling_a_string_stops_at_the_string_limit() {
    TemplateException e = assertThrows(TemplateException.class, () -> render(
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"));
    assertTrue(e.getMessage().contains("exceeds the limit of " + Limits.MAX_STRING_CHARS + " chars"), e.getMessage());
    assertThrows(TemplateException.class, () -> render("{{ 'x' * 100000000 }}"));
    assertThrows(TemplateException.class, () -> render("{{ ('x' * 5000000)|replace('x', 'xx') }}"));
  }

  @Test
  void total_output_is_bounded() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> render("{% for i in range(100000) %}{{ 'abcdefghij' * 1000 }}{% endfor %}"));
    assertTrue(e.getMessage().contains("limit") || e.getMessage().contains("in total"), e.getMessage());
  }

  @Test
  void a_list_that_contains_itself_cannot_be_printed_but_fails_cleanly() {
    TemplateException e = assertThrows(TemplateException.class, () -> render("{% set l = [] %}{% set _ = l.append(l) %}{{ l }}"));
    assertTrue(e.getMessage().contains("nested deeper than " + Limits.MAX_VALUE_DEPTH), e.getMessage());
    assertThrows(TemplateException.class, () -> render("{% set l = [] %}{% set _ = l.append(l) %}{{ l|tojson }}"));
    assertThrows(TemplateException.class, () -> render("{% set a = [] %}{% set _ = a.append(a) %}"
        + "{% set b = [] %}{% set _ = b.append(b) %}{{ a == b }}"));
  }

  @Test
  void deeply_nested_syntax_is_refused_while_parsing() {
    assertSyntaxError("{{ " + repeat("(", 100_000) + "1" + repeat(")", 100_000) + " }}");
    assertSyntaxError("{{ " + repeat("[", 100_000) + repeat("]", 100_000) + " }}");
    assertSyntaxError("{{ " + repeat("not ", 100_000) + "1 }}");
    assertSyntaxError("{{ " + repeat("- ", 100_000) + "1 }}");
    assertSyntaxError("{{ 1" + repeat(" + 1", 100_000) + " }}");
    assertSyntaxError("{{ x" + repeat("|trim", 100_000) + " }}");
    assertSyntaxError("{{ x" + repeat(".a", 100_000) + " }}");
    assertSyntaxError(repeat("{% if true %}", 10_000) + repeat("{% endif %}", 10_000));
  }

  @Test
  void nesting_within_the_limits_renders() {
    int depth = Limits.MAX_BLOCK_DEPTH;
    assertEquals("x", render(repeat("{% if true %}", depth) + "x" + repeat("{% endif %}", depth)));
    assertEquals("1", render("{{ " + repeat("(", 30) + "1" + repeat(")", 30) + " }}"));
  }

  @Test
  void deeply_nested_values_are_refused_when_passed_in() {
    List<Object> root = new ArrayList<>();
    List<Object> current = root;
    for (int i = 0; i < 10_000; i++) {
      List<Object> next = new ArrayList<>();
      current.add(next);
      current = next;
    }
    TemplateException e = assertThrows(TemplateException.class, () -> render("{{ v|length }}", "v", root));
    assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
    List<Object> self = new ArrayList<>();
    self.add(self);
    assertThrows(TemplateException.class, () -> render("{{ v }}", "v", self));
  }

  private static void assertSyntaxError(String template) {
    TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> ChatTemplate.parse(template));
    assertTrue(e.getMessage().contains("deeper than"), e.getMessage());
  }

  private static String repeat(String s, int n) {
    return String.join("", Collections.nCopies(n, s));
  }
}

package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Literals, operators with Jinja's precedence, and how values print (Python's str and repr). */
class ExpressionsTest {

  @Test
  void arithmetic_follows_python() {
    assertEquals("7 9 3 -4 1 2 3.5 2.0 1024 64",
        render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} "
            + "{{ 7 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} {{ 2 ** 3 ** 2 }}"));
    assertEquals("100000000000000000000 1267650600228229401496703205376",
        render("{{ 10000000000000000000 * 10 }} {{ 2 ** 100 }}"));
  }

  @Test
  void floats_print_as_python_repr() {
    assertEquals("2.5 0.30000000000000004 1e+20 1e+16 1000000000000000.0 0.0001 1e-05 -0.0 3.0 0.3333333333333333 2.5e-10",
        render("{{ 1.5 + 1 }} {{ 0.1 + 0.2 }} {{ 1e20 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} "
            + "{{ -0.0 }} {{ 3.0 }} {{ 1/3 }} {{ 2.5e-10 }}"));
    assertEquals("1.5 [0.1, 2.0]", render("{{ x }} {{ y }}", "x", 1.5f, "y", List.of(0.1, 2.0)));
  }

  @Test
  void values_print_as_python_does() {
    assertEquals("True False None", render("{{ true }} {{ False }} {{ none }}"));
    assertEquals("[1, 'a', None, True, 1.5, {'k': 'v'}, (1,), ()]",
        render("{{ [1, 'a', none, true, 1.5, {'k': 'v'}, (1,), ()] }}"));
    assertEquals("{'a': \"it's\", 'b': 'q\"uote', 'c': 'both \\' \"'}",
        render("{{ {'a': 'it\\'s', 'b': \"q\\\"uote\", 'c': 'both \\' \"'} }}"));
    assertEquals("['tab\\there', 'nl\\n', 'é', '\\x01', '\\u2028']",
        render("{{ ['tab\\there', 'nl\\n', 'é', '\\x01', '\\u2028'] }}"));
    assertEquals("(1, 2)", render("{{ 1, 2 }}"));
  }

  @Test
  void string_literals_understand_python_escapes_and_join_when_adjacent() {
    assertEquals("é😀AA\\q", render("{{ '\\u00e9\\U0001F600\\x41\\101\\q' }}"));
    assertEquals("ab", render("{{ 'a' \"b\" }}"));
    assertEquals("line\nbreak", render("{{ 'line\nbreak' }}"));
  }

  @Test
  void number_literals_take_underscores_and_prefixes() {
    assertEquals("1026", render("{{ 1_000 + 0x10 + 0o10 + 0b10 }}"));
  }

  @Test
  void tilde_joins_text_and_plus_adds_strings_lists_and_tuples() {
    assertEquals("a1NoneTrue[1, 'b']", render("{{ 'a' ~ 1 ~ none ~ true ~ [1, 'b'] }}"));
    assertEquals("ab [1, 2] (1, 2)", render("{{ 'a' + 'b' }} {{ [1] + [2] }} {{ (1,) + (2,) }}"));
    assertEquals("ababab [1, 1, 1] xxx", render("{{ 'ab' * 3 }} {{ [1] * 3 }} {{ 3 * 'x' }}"));
  }

  @Test
  void comparisons_chain_and_compare_numbers_by_value() {
    assertEquals("True True True True False True True True",
        render("{{ 1 == 1.0 }} {{ true == 1 }} {{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} "
            + "{{ (1, 2) == [1, 2] }} {{ 1 != 2 }} {{ none == none }} {{ 'a' < 'b' }}"));
    assertEquals("True False True", render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ [1, 2] < [1, 3] }}"));
  }

  @Test
  void membership_works_on_strings_lists_and_dicts() {
    assertEquals("True True True True True False",
        render("{{ 'a' in 'cat' }} {{ 1 in [1, 2] }} {{ 'x' in {'x': 1} }} {{ 3 not in [1] }} "
            + "{{ 'z' not in 'abc' }} {{ 'x' in missing }}"));
  }

  @Test
  void logic_returns_operands_and_not_binds_looser_than_comparisons() {
    assertEquals("1 2 False d ", render("{{ a or b }} {{ a and b }} {{ not a }} {{ none or 'd' }} {{ 0 or '' }}",
        "a", 1, "b", 2));
    assertEquals("True True", render("{{ not 1 == 2 }} {{ not (1 == 2) }}"));
  }

  @Test
  void conditional_expressions_without_else_are_undefined_when_false() {
    assertEquals("yes no []", render("{{ 'yes' if true else 'no' }} {{ 'yes' if false else 'no' }} [{{ 'yes' if false }}]"));
  }

  @Test
  void filters_bind_tighter_than_arithmetic_and_unary_minus() {
    Object messages = List.of(Map.of("role", "user", "content", "  x  "));
    assertEquals("<|start|>x<|end|>", render("{{ '<|start|>' + messages[0]['content'] | trim + '<|end|>' }}",
        "messages", messages));
    assertEquals("3 -3", render("{{ -3|abs }} {{ -(3) }}"));
  }

  @Test
  void items_and_attributes_are_looked_up_like_jinja() {
    Object data = Map.of("a", Map.of("b", List.of(1, Map.of("c", "d"))));
    assertEquals("d", render("{{ data.a.b[1].c }}", "data", data));
    assertEquals("d", render("{{ data['a']['b'][1]['c'] }}", "data", data));
    assertEquals("1 3 [] b 2", render("{{ [1, 2, 3][0] }} {{ [1, 2, 3][-1] }} [{{ [1, 2, 3][5] }}] {{ 'abc'[1] }} {{ (1, 2)[1] }}"));
    assertEquals("5", render("{{ d['items'] }}", "d", Map.of("items", 5)));
    assertEquals("True", render("{{ d.items is callable }}", "d", Map.of("items", 5)));
  }

  @Test
  void slices_follow_python_including_negative_steps() {
    assertEquals("[2, 3] [5, 4, 3, 2, 1] [1, 3, 5] ello hell olleh [2, 3] x😀olléh",
        render("{{ [1, 2, 3, 4, 5][1:3] }} {{ [1, 2, 3, 4, 5][::-1] }} {{ [1, 2, 3, 4, 5][::2] }} {{ 'hello'[1:] }} "
            + "{{ 'hello'[:-1] }} {{ 'hello'[::-1] }} {{ [1, 2, 3][-2:] }} {{ 'hélo😀x'[::-1]|replace('o', 'ol') }}"));
    assertEquals("[('c', 3), ('b', 2)]",
        render("{{ (d|items|list)[::-1][:2] }}", "d", Render.variables("a", 1, "b", 2, "c", 3)));
  }
}

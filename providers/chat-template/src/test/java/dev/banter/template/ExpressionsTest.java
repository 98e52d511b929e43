package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Literals, operators with Jinja's precedence, and how values print (Python's str and repr). */
class ExpressionsTest {

  @Test
  void arithmetic_follows_python() {
    assertEquals("7 9 1 2 0 1 -3 4", render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ n % 2 }} "
        + "{{ (n + 1) % 2 }} {{ 2 - 5 }} {{ true + 3 }}", "n", 4));
    assertEquals("9223372036854775807 -9223372036854775808", render("{{ 9223372036854775807 }} {{ -9223372036854775807 - 1 }}"));
  }

  @Test
  void numbers_from_the_callers_data_print_as_python_repr() {
    assertEquals("2.5 0.30000000000000004 1e+20 1e+16 1000000000000000.0 0.0001 1e-05 -0.0 3.0 0.3333333333333333 2.5e-10",
        render("{{ a + 1 }} {{ b + c }} {{ d }} {{ e }} {{ f }} {{ g }} {{ h }} {{ -z }} {{ 1 + two }} {{ third }} {{ tiny }}",
            "a", 1.5, "b", 0.1, "c", 0.2, "d", 1e20, "e", 1e16, "f", 1e15, "g", 0.0001, "h", 0.00001, "z", 0.0,
            "two", 2.0, "third", 1 / 3.0, "tiny", 2.5e-10));
    assertEquals("1.5 [0.1, 2.0] True", render("{{ x }} {{ y }} {{ x > 1 }}", "x", 1.5f, "y", List.of(0.1, 2.0)));
  }

  @Test
  void integers_past_64_bits_from_the_caller_become_floats_as_in_llama_cpp() {
    assertEquals("1.2345678901234567e+19 9223372036854775807", render("{{ big }} {{ max }}",
        "big", new BigInteger("12345678901234567890"), "max", BigInteger.valueOf(Long.MAX_VALUE)));
  }

  @Test
  void values_print_as_python_does() {
    assertEquals("True False None", render("{{ true }} {{ False }} {{ none }}"));
    assertEquals("[1, 'a', None, True, 1.5, {'k': 'v'}, (1,), ()]",
        render("{{ [1, 'a', none, true, x, {'k': 'v'}, (1,), ()] }}", "x", 1.5));
    assertEquals("{'a': \"it's\", 'b': 'q\"uote', 'c': 'both \\' \"'}",
        render("{{ {'a': 'it\\'s', 'b': \"q\\\"uote\", 'c': 'both \\' \"'} }}"));
    assertEquals("['tab\\there', 'nl\\n', 'é', '\\x01', '\\u2028']",
        render("{{ ['tab\there', 'nl\\n', 'é', '\u0001', '\u2028'] }}"));
    assertEquals("(1, 2)", render("{{ 1, 2 }}"));
  }

  @Test
  void string_literals_understand_the_escapes_templates_use_and_join_when_adjacent() {
    assertEquals("a\nb \\ ' \" \\q \\d", render("{{ 'a\\nb \\\\ \\' \\\" \\q \\d' }}"));
    assertEquals("ab", render("{{ 'a' \"b\" }}"));
    assertEquals("line\nbreak", render("{{ 'line\nbreak' }}"));
    assertEquals("onetwo", render("{{ 'one\\\ntwo' }}"));
  }

  @Test
  void tilde_joins_text_and_plus_adds_strings_lists_and_tuples() {
    assertEquals("a1NoneTrue[1, 'b']", render("{{ 'a' ~ 1 ~ none ~ true ~ [1, 'b'] }}"));
    assertEquals("ab [1, 2] (1, 2)", render("{{ 'a' + 'b' }} {{ [1] + [2] }} {{ (1,) + (2,) }}"));
    assertEquals("ababab xxx ", render("{{ 'ab' * 3 }} {{ 3 * 'x' }} {{ 'y' * -1 }}"));
  }

  @Test
  void comparisons_compare_numbers_by_value() {
    assertEquals("True True True True False True True True",
        render("{{ 1 == x }} {{ true == 1 }} {{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} "
            + "{{ (1, 2) == [1, 2] }} {{ 1 != 2 }} {{ none == none }} {{ 'a' < 'b' }}", "x", 1.0));
    assertEquals("True False True True False", render("{{ [1, 2] < [1, 3] }} {{ 2 <= 1 }} {{ 2 >= 2 }} "
        + "{{ 'b' > 'a' }} {{ nan < 1 }}", "nan", Double.NaN));
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
  void filters_bind_tighter_than_arithmetic_but_apply_after_unary_minus() {
    Object messages = List.of(Map.of("role", "user", "content", "  x  "));
    assertEquals("<|start|>x<|end|>", render("{{ '<|start|>' + messages[0]['content'] | trim + '<|end|>' }}",
        "messages", messages));
    assertEquals("2 -3", render("{{ -n|string|length }} {{ -(3) }}", "n", 3));
  }

  @Test
  void items_and_attributes_are_looked_up_like_jinja() {
    Object data = Map.of("a", Map.of("b", List.of(1, Map.of("c", "d"))));
    assertEquals("d", render("{{ data.a.b[1].c }}", "data", data));
    assertEquals("d", render("{{ data['a']['b'][1]['c'] }}", "data", data));
    assertEquals("1 3 [] b 2 x", render("{{ [1, 2, 3][0] }} {{ [1, 2, 3][-1] }} [{{ [1, 2, 3][5] }}] {{ 'abc'[1] }} "
        + "{{ (1, 2)[1] }} {{ pair.0 }}", "pair", List.of("x", "y")));
    assertEquals("5 [('items', 5)]", render("{{ d['items'] }} {{ d.items()|list }}", "d", Map.of("items", 5)));
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

package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tags: if, for (with loop, filters and break), set, macro, filter, generation. */
class StatementsTest {
  private static final List<Map<String, Object>> MESSAGES = List.of(
      Map.of("role", "system", "content", "Sys"),
      Map.of("role", "user", "content", "Hi"),
      Map.of("role", "assistant", "content", "Yo"));

  @Test
  void if_elif_else_picks_the_first_true_branch() {
    String template = "{% if n == 1 %}one{% elif n == 2 %}two{% elif n == 3 %}three{% else %}many{% endif %}";
    assertEquals("one", render(template, "n", 1));
    assertEquals("three", render(template, "n", 3));
    assertEquals("many", render(template, "n", 9));
  }

  @Test
  void loop_variables_describe_the_position() {
    assertEquals("1 0 True False|2 1 False False|3 2 False True|",
        render("{% for m in messages %}{{ loop.index }} {{ loop.index0 }} {{ loop.first }} {{ loop.last }}|{% endfor %}",
            "messages", MESSAGES));
  }

  @Test
  void previtem_and_nextitem_are_undefined_at_the_ends() {
    assertEquals("-/user system/assistant user/- ",
        render("{% for m in messages %}{{ loop.previtem.role if loop.previtem is defined else '-' }}/"
            + "{{ loop.nextitem.role if loop.nextitem is defined else '-' }} {% endfor %}", "messages", MESSAGES));
  }

  @Test
  void a_loop_filter_skips_items_and_loop_counts_only_the_rest() {
    assertEquals("1user2assistant|",
        render("{% for m in messages if m.role != 'system' %}{{ loop.index }}{{ m.role }}"
            + "{% if loop.last %}|{% endif %}{% endfor %}", "messages", MESSAGES));
    assertEquals("", render("{% for x in missing %}a{% endfor %}"));
  }

  @Test
  void break_ends_the_innermost_loop() {
    assertEquals("1", render("{% for x in [1, 2, 3, 4] %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}"));
    assertEquals("a1b1", render("{% for o in ['a', 'b'] %}{{ o }}{% for i in [1, 2] %}{{ i }}{% break %}"
        + "{% endfor %}{% endfor %}"));
  }

  @Test
  void loops_unpack_pairs_and_iterate_dict_keys_and_string_characters() {
    assertEquals("a=1;b=2;", render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}"));
    assertEquals("ab", render("{% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %}"));
    assertEquals("h.é.😀.", render("{% for c in 'hé😀' %}{{ c }}.{% endfor %}"));
  }

  @Test
  void variables_set_inside_a_loop_do_not_leak_out_of_it_or_into_the_next_iteration() {
    assertEquals("1", render("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}"));
    assertEquals("[set][]", render("{% for i in [1, 2] %}{% if i == 1 %}{% set y = 'set' %}{% endif %}"
        + "[{{ y }}]{% endfor %}"));
  }

  @Test
  void variables_set_inside_if_blocks_stay_visible_after_them() {
    assertEquals("2", render("{% if messages[0].role == 'system' %}{% set messages = messages[1:] %}{% endif %}"
        + "{{ messages|length }}", "messages", MESSAGES));
  }

  @Test
  void a_namespace_carries_values_out_of_loops() {
    assertEquals("3x", render("{% set ns = namespace(a=0, b='x') %}{% for i in range(3) %}"
        + "{% set ns.a = ns.a + i %}{% endfor %}{{ ns.a }}{{ ns.b }}"));
    assertEquals("5False", render("{% set ns = namespace() %}{% set ns.x = 5 %}{{ ns.x }}{{ ns.y is defined }}"));
  }

  @Test
  void set_unpacks_tuples_and_captures_blocks() {
    assertEquals("12", render("{% set a, b = 1, 2 %}{{ a }}{{ b }}"));
    assertEquals("34", render("{% set a, b = [3, 4] %}{{ a }}{{ b }}"));
    assertEquals("(1, 2)", render("{% set x = 1, 2 %}{{ x }}"));
    assertEquals("[  hello\n]", render("{% set x %}\n  hello\n{% endset %}[{{ x }}]"));
  }

  @Test
  void macros_take_positional_keyword_and_default_arguments() {
    String greet = "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}";
    assertEquals("Hello, a! Hi, b! Yo, c!",
        render(greet + "{{ greet('a') }} {{ greet('b', 'Hi') }} {{ greet(greeting='Yo', name='c') }}"));
    assertEquals("1False", render("{% macro m(a, b) %}{{ a }}{{ b is defined }}{% endmacro %}{{ m(1) }}"));
  }

  @Test
  void macros_recurse_and_see_variables_of_the_template() {
    assertEquals("54321", render("{% macro f(n) %}{% if n > 0 %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(5) }}"));
    assertEquals("G", render("{% set g = 'G' %}{% macro m() %}{{ g }}{% endmacro %}{{ m() }}"));
  }

  @Test
  void filter_blocks_filter_their_rendered_content() {
    assertEquals("HELLO X", render("{% filter upper %}hello {{ 'x' }}{% endfilter %}"));
    assertEquals("A B", render("{% filter trim | upper %}\n  a b \n{% endfilter %}"));
  }

  @Test
  void generation_markers_from_hugging_face_render_their_content() {
    assertEquals("<a>", render("<{% generation %}a{% endgeneration %}>"));
  }
}

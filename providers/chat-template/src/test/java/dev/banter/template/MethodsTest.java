package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python's methods on strings, lists and dicts, as templates call them. */
class MethodsTest {

  @Test
  void strip_and_split_like_python() {
    assertEquals("a b|axx|xxa|['a', 'b', '', 'c']|['a', 'b']|['a', 'b c']|['a', 'b  ']",
        render("{{ ' a b '.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ 'xxaxx'.rstrip('x') }}|{{ 'a,b,,c'.split(',') }}|"
            + "{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ '  a b  '.split(none, 1) }}"));
  }

  @Test
  void prefix_case_and_replace_methods() {
    assertEquals("True True False HELLO WORLD hello a+b",
        render("{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith('bc') }} {{ 'abc'.endswith('b') }} "
            + "{{ 'Hello World'.upper() }} {{ 'Hello'.lower() }} {{ 'a-b'.replace('-', '+') }}"));
  }

  @Test
  void str_format_fills_automatic_fields_in_order() {
    assertEquals("a and b <think1> {} x", render("{{ '{} and {}'.format('a', 'b') }} {{ '<think{}>'.format(n) }} "
        + "{{ '{{}}'.format() }} {{ '{}'.format('x', 'unused') }}", "n", 1));
  }

  @Test
  void thinking_is_split_off_the_way_qwen3_does_it() {
    String content = "<think>\nhmm\n</think>\n\nanswer";
    assertEquals("answer|hmm", render("{{ content.split('</think>')[-1].lstrip('\\n') }}|"
        + "{{ content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}", "content", content));
  }

  @Test
  void dict_methods() {
    assertEquals("['a', 'b'] 1 None 9 [('a', 1), ('b', 2)]", render("{{ d.keys()|list }} "
        + "{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 9) }} {{ d.items()|list }}", "d", Render.variables("a", 1, "b", 2)));
  }

  @Test
  void list_methods_change_the_templates_copy_only() {
    List<Object> list = new ArrayList<>(List.of(1));
    assertEquals("None[1, 2][1, 2, 3]3[1, 2]1[2]",
        render("{{ l.append(2) }}{{ l }}{% set _ = l.append(3) %}{{ l }}{{ l.pop() }}{{ l }}{{ l.pop(0) }}{{ l }}",
            "l", list));
    assertEquals(List.of(1), list);
    assertEquals("[0, 1, 2]", render("{% set ns = namespace(items=[]) %}{% for i in range(3) %}"
        + "{% set _ = ns.items.append(i) %}{% endfor %}{{ ns.items }}"));
  }

  @Test
  void a_missing_method_is_undefined_until_called() {
    assertEquals("|ABC", render("{{ 'abc'.foo }}|{{ 'abc'.upper() }}"));
    assertEquals("x", render("{{ m.get('k') }}", "m", Map.of("k", "x")));
  }
}

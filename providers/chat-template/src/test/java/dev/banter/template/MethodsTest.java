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
    assertEquals("a b|axx|xxa|['a', 'b', '', 'c']|['a', 'b']|['a', 'b c']|['a b', 'c']|['a', 'b  ']|['  a', 'b']",
        render("{{ ' a b '.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ 'xxaxx'.rstrip('x') }}|{{ 'a,b,,c'.split(',') }}|"
            + "{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a b c'.rsplit(' ', 1) }}|"
            + "{{ '  a b  '.split(none, 1) }}|{{ '  a b  '.rsplit(none, 1) }}"));
  }

  @Test
  void case_search_and_replace_methods() {
    assertEquals("True True True HELLO WORLD hello Hello World It'S Hello a+b",
        render("{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith('bc') }} {{ 'abc'.startswith(('x', 'a')) }} "
            + "{{ 'Hello World'.upper() }} {{ 'Hello'.lower() }} {{ \"hello world it's\".title() }} "
            + "{{ 'hELLO'.capitalize() }} {{ 'a-b'.replace('-', '+') }}"));
    assertEquals("2 5 -1 2 a, b ['a', 'b', 'c'] True True 005 -005",
        render("{{ 'abcabc'.find('c') }} {{ 'abcabc'.rfind('c') }} {{ 'abc'.find('z') }} {{ 'abcabc'.count('bc') }} "
            + "{{ ', '.join(['a', 'b']) }} {{ 'a\\nb\\r\\nc'.splitlines() }} {{ '42'.isdigit() }} {{ 'ab'.isalpha() }} "
            + "{{ '5'.zfill(3) }} {{ '-5'.zfill(4) }}"));
  }

  @Test
  void str_format_fills_fields() {
    assertEquals("a and b xyx n!     a|b    |  c   3.14    42 1,234,567 'q' {}",
        render("{{ '{} and {}'.format('a', 'b') }} {{ '{0}{1}{0}'.format('x', 'y') }} {{ '{name}!'.format(name='n') }} "
            + "{{ '{:>5}|{:<5}|{:^5}'.format('a', 'b', 'c') }} {{ '{:.2f} {:5d} {:,}'.format(3.14159, 42, 1234567) }} "
            + "{{ '{!r}'.format('q') }} {{ '{{}}'.format() }}"));
  }

  @Test
  void thinking_is_split_off_the_way_qwen3_does_it() {
    String content = "<think>\nhmm\n</think>\n\nanswer";
    assertEquals("answer|hmm", render("{{ content.split('</think>')[-1].lstrip('\\n') }}|"
        + "{{ content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}", "content", content));
  }

  @Test
  void dict_methods() {
    assertEquals("['a', 'b'] [1, 2] 1 None 9 [('a', 1), ('b', 2)]", render("{{ d.keys()|list }} {{ d.values()|list }} "
        + "{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 9) }} {{ d.items()|list }}", "d", Render.variables("a", 1, "b", 2)));
  }

  @Test
  void list_methods_change_the_templates_copy_only() {
    List<Object> list = new ArrayList<>(List.of(1));
    assertEquals("None[1, 2][1, 2, 3]3[1, 2]11",
        render("{{ l.append(2) }}{{ l }}{% set _ = l.extend([3]) %}{{ l }}{{ l.pop() }}{{ l }}{{ l.index(2) }}{{ l.count(1) }}",
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

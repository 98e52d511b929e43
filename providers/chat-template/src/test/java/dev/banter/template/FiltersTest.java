package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jinja's built-in filters, checked against what Jinja 3.1 prints. */
class FiltersTest {
  private static final List<Map<String, Object>> USERS = List.of(
      Map.of("name", "x", "active", true, "age", 3),
      Map.of("name", "y", "active", false, "age", 1));

  @Test
  void text_filters() {
    assertEquals("hi|hi|ABC|abc|Hello world|Hello World-Foo Bar|They're Bill's",
        render("{{ '  hi  '|trim }}|{{ 'xxhixx'|trim('x') }}|{{ 'abc'|upper }}|{{ 'ABC'|lower }}|"
            + "{{ 'hello WORLD'|capitalize }}|{{ 'hello WORLD-foo bar'|title }}|{{ \"they're bill's\"|title }}"));
    assertEquals("hell0 w0rld bba -a-b-c-", render("{{ 'hello world'|replace('o', '0') }} "
        + "{{ 'aaa'|replace('a', 'b', 2) }} {{ 'abc'|replace('', '-') }}"));
    assertEquals("3 3", render("{{ 'one two  three'|wordcount }} {{ 'héllo wörld_x 42'|wordcount }}"));
    assertEquals("   abc   |  abc   |", render("{{ 'abc'|center(9) }}|{{ 'abc'|center(8) }}|"));
    assertEquals("&lt;a href=&#34;x&#34;&gt;&amp;&#39;", render("{{ '<a href=\"x\">&\\''|e }}"));
  }

  @Test
  void length_counts_characters_items_and_keys() {
    assertEquals("3 6 1 0 2", render("{{ [1, 2, 3]|length }} {{ 'héllo😀'|length }} {{ {'a': 1}|length }} "
        + "{{ missing|length }} {{ [1, 2]|count }}"));
  }

  @Test
  void join_converts_items_to_text() {
    assertEquals("1, 2, 3 ab a-b 1|None|x", render("{{ [1, 2, 3]|join(', ') }} {{ ['a', 'b']|join }} "
        + "{{ [{'n': 'a'}, {'n': 'b'}]|join('-', attribute='n') }} {{ [1, none, 'x']|join('|') }}"));
  }

  @Test
  void default_replaces_undefined_and_with_boolean_also_false_values() {
    assertEquals("d None d z v", render("{{ x|default('d') }} {{ none|default('d') }} {{ ''|default('d', true) }} "
        + "{{ 0|d('z', boolean=true) }} {{ 'v'|default('d') }}"));
  }

  @Test
  void first_last_list_reverse() {
    assertEquals("1 3 [] a c", render("{{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} [{{ []|first }}] "
        + "{{ 'abc'|first }} {{ 'abc'|last }}"));
    assertEquals("['a', 'b', 'c'] ['a', 'b'] [1, 2] [3, 2, 1] cba", render("{{ 'abc'|list }} {{ {'a': 1, 'b': 2}|list }} "
        + "{{ (1, 2)|list }} {{ [1, 2, 3]|reverse|list }} {{ 'abc'|reverse }}"));
  }

  @Test
  void items_and_dictsort_make_key_value_pairs() {
    assertEquals("[('b', 1), ('a', 2)] [('a', 2), ('b', 1)] [('b', 1), ('a', 2)] [('C', 0), ('b', 1), ('a', 2)]",
        render("{{ {'b': 1, 'a': 2}|items|list }} {{ {'b': 1, 'a': 2}|dictsort }} {{ {'b': 1, 'a': 2}|dictsort(by='value') }} "
            + "{{ {'b': 1, 'a': 2, 'C': 0}|dictsort(reverse=true, by='value')|reverse|list }}"));
    assertEquals("[]", render("{{ missing|items|list }}"));
  }

  @Test
  void map_takes_an_attribute_or_a_filter_name() {
    assertEquals("['x', 'y'] [3, 0] ['A', 'B'] ['a']", render("{{ users|map(attribute='name')|list }} "
        + "{{ users|map(attribute='age', default=0)|list }} {{ ['a', 'b']|map('upper')|list }} "
        + "{{ [' a ']|map('trim')|list }}", "users", List.of(Map.of("name", "x", "age", 3), Map.of("name", "y"))));
  }

  @Test
  void select_reject_and_their_attr_forms_filter_by_tests() {
    assertEquals("['x'] ['y'] ['y'] ['x']", render("{{ users|selectattr('active')|map(attribute='name')|list }} "
        + "{{ users|rejectattr('active')|map(attribute='name')|list }} "
        + "{{ users|selectattr('name', 'equalto', 'y')|map(attribute='name')|list }} "
        + "{{ users|selectattr('age', '>', 2)|map(attribute='name')|list }}", "users", USERS));
    assertEquals("[1, 3] [2, 4] [1, 'a'] [2, 3] ['a']", render("{{ [1, 2, 3, 4]|select('odd')|list }} "
        + "{{ [1, 2, 3, 4]|reject('odd')|list }} {{ [0, 1, '', none, 'a']|select|list }} "
        + "{{ [1, 2, 3]|select('>', 1)|list }} {{ ['a', 'b']|select('in', ['a'])|list }}"));
  }

  @Test
  void sort_unique_min_max_sum_ignore_case_unless_asked() {
    assertEquals("[1, 2, 3] [3, 2, 1] ['A', 'b', 'c'] ['A', 'b', 'c'] ['y', 'x']",
        render("{{ [3, 1, 2]|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} "
            + "{{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ users|sort(attribute='age')|map(attribute='name')|list }}",
            "users", USERS));
    assertEquals("[1, 2, 3] ['a', 'b'] ['a', 'A', 'b']", render("{{ [1, 2, 1, 3]|unique|list }} "
        + "{{ ['a', 'A', 'b']|unique|list }} {{ ['a', 'A', 'b']|unique(case_sensitive=true)|list }}"));
    assertEquals("6 4 12 1 3 b []", render("{{ [1, 2, 3]|sum }} {{ users|sum(attribute='age') }} "
        + "{{ [1, 2]|sum(start=9) }} {{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ['b', 'A']|max }} [{{ []|max }}]",
        "users", USERS));
  }

  @Test
  void conversions_fall_back_to_defaults_as_jinja_does() {
    assertEquals("42 42 0 7 3 31 31 1 0 12", render("{{ '42'|int }} {{ '42.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} "
        + "{{ 3.9|int }} {{ '0x1f'|int(0, 16) }} {{ '1f'|int(base=16) }} {{ true|int }} {{ none|int }} {{ ' 12 '|int }}"));
    assertEquals("4.5 0.0 3.0 1000.0 nan inf", render("{{ '4.5'|float }} {{ 'x'|float }} {{ 3|float }} {{ '1e3'|float }} "
        + "{{ 'nan'|float }} {{ 'inf'|float }}"));
    assertEquals("42 [1, 'a'] None x 1.0", render("{{ 42|string }} {{ [1, 'a']|string }} {{ none|string }} "
        + "{{ 'x'|safe }} {{ 1.0|string }}"));
  }

  @Test
  void abs_and_round_round_half_to_even_like_python() {
    assertEquals("3 2.5 2.0 4.0 2.67 3.0 2.0 5 1200 1.5", render("{{ -3|abs }} {{ -2.5|abs }} {{ 2.5|round }} "
        + "{{ 3.5|round }} {{ 2.675|round(2) }} {{ 2.1|round(0, 'ceil') }} {{ 2.9|round(method='floor') }} "
        + "{{ 5|round }} {{ 1234|round(-2) }} {{ 1.5|round(1) }}"));
  }

  @Test
  void indent_indents_lines_after_the_first() {
    assertEquals("a\n    b\n\n    c|  a\n  b|a\n  \n  b|a\n> b", render("{{ 'a\\nb\\n\\nc'|indent }}|"
        + "{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}|{{ 'a\\nb'|indent('> ') }}"));
  }

  @Test
  void batch_slice_and_truncate() {
    assertEquals("[[1, 2], [3, 4], [5]] [[1, 2], [3, 4], [5, 'x']] [[1, 2, 3], [4, 5]] [[1, 2], [3, 4], [5, 0]]",
        render("{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3, 4, 5]|batch(2, 'x')|list }} "
            + "{{ [1, 2, 3, 4, 5]|slice(2)|list }} {{ [1, 2, 3, 4, 5]|slice(3, 0)|list }}"));
    assertEquals("lorem ipsum...|lorem ipsum dolor...|short|lorem ipsum dolor!", render(
        "{{ 'lorem ipsum dolor sit amet consectetur'|truncate(20) }}|"
            + "{{ 'lorem ipsum dolor sit amet consectetur'|truncate(20, true) }}|{{ 'short'|truncate(20) }}|"
            + "{{ 'lorem ipsum dolor sit amet'|truncate(20, false, '!', 0) }}"));
  }

  @Test
  void format_and_the_percent_operator_use_printf_style() {
    assertEquals("a-3-03.14-ff-'q' 1    ab|cd   |", render("{{ '%s-%d-%05.2f-%x-%r'|format('a', 3, 3.14159, 255, 'q') }} "
        + "{{ '%(a)s'|format(a=1) }} {{ '%5s|%-5s|'|format('ab', 'cd') }}"));
    assertEquals("Hi x, 5% one 1.235e+04 0.0001 1.23457e+08 1.5", render("{{ 'Hi %s, %d%%' % ('x', 5) }} {{ '%s' % 'one' }} "
        + "{{ '%.3e' % 12345.678 }} {{ '%g %g %g' % (0.0001, 123456789.0, 1.5) }}"));
  }

  @Test
  void attr_reads_attributes_only() {
    assertEquals("[] True", render("[{{ x|attr('y') }}] {{ d|attr('items') is callable }}", "x", Map.of("y", 1), "d", Map.of()));
  }
}

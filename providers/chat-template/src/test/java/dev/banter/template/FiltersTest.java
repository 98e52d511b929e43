package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filters chat templates use, checked against what Jinja 3.1 (and llama.cpp for from_json) prints. */
class FiltersTest {
  private static final List<Map<String, Object>> USERS = List.of(
      Map.of("name", "x", "active", true, "age", 3, "type", "b"),
      Map.of("name", "y", "active", false, "age", 1, "type", "a"));

  @Test
  void text_filters() {
    assertEquals("hi|ABC|abc|Hello world|É", render("{{ '  hi  '|trim }}|{{ 'abc'|upper }}|{{ 'ABC'|lower }}|"
        + "{{ 'hello WORLD'|capitalize }}|{{ 'é'|capitalize }}"));
    assertEquals("hell0 w0rld bba -a-b-c-", render("{{ 'hello world'|replace('o', '0') }} "
        + "{{ 'aaa'|replace('a', 'b', 2) }} {{ 'abc'|replace('', '-') }}"));
  }

  @Test
  void length_counts_characters_items_and_keys() {
    assertEquals("3 6 1 0", render("{{ [1, 2, 3]|length }} {{ 'héllo😀'|length }} {{ {'a': 1}|length }} "
        + "{{ missing|length }}"));
  }

  @Test
  void join_converts_items_to_text() {
    assertEquals("1, 2, 3 ab 1|None|x", render("{{ [1, 2, 3]|join(', ') }} {{ ['a', 'b']|join }} "
        + "{{ [1, none, 'x']|join('|') }}"));
  }

  @Test
  void default_replaces_undefined_and_with_boolean_also_false_values() {
    assertEquals("d None d z v", render("{{ x|default('d') }} {{ none|default('d') }} {{ ''|default('d', true) }} "
        + "{{ 0|default('z', boolean=true) }} {{ 'v'|default('d') }}"));
  }

  @Test
  void first_last_and_list() {
    assertEquals("1 3 [] a c", render("{{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} [{{ []|first }}] "
        + "{{ 'abc'|first }} {{ 'abc'|last }}"));
    assertEquals("['a', 'b', 'c'] ['a', 'b'] [1, 2]", render("{{ 'abc'|list }} {{ {'a': 1, 'b': 2}|list }} "
        + "{{ (1, 2)|list }}"));
  }

  @Test
  void items_and_dictsort_make_key_value_pairs() {
    assertEquals("[('b', 1), ('a', 2)] [('a', 2), ('b', 1)] [('b', 1), ('a', 2)] [('a', 2), ('b', 1), ('C', 0)]",
        render("{{ {'b': 1, 'a': 2}|items|list }} {{ {'b': 1, 'a': 2}|dictsort }} {{ {'b': 1, 'a': 2}|dictsort(by='value') }} "
            + "{{ {'b': 1, 'a': 2, 'C': 0}|dictsort(reverse=true, by='value') }}"));
    assertEquals("[]", render("{{ missing|items|list }}"));
  }

  @Test
  void map_takes_an_attribute_or_a_filter_name() {
    assertEquals("['x', 'y'] [3, 0] ['A', 'B'] ['a']", render("{{ users|map(attribute='name')|list }} "
        + "{{ users|map(attribute='age', default=0)|list }} {{ ['a', 'b']|map('upper')|list }} "
        + "{{ [' a ']|map('trim')|list }}", "users", List.of(Map.of("name", "x", "age", 3), Map.of("name", "y"))));
  }

  @Test
  void reject_and_the_attr_forms_filter_by_tests() {
    assertEquals("['x'] ['y'] ['y'] ['x', 'y']", render("{{ users|selectattr('active')|map(attribute='name')|list }} "
        + "{{ users|rejectattr('active')|map(attribute='name')|list }} "
        + "{{ users|selectattr('name', 'equalto', 'y')|map(attribute='name')|list }} "
        + "{{ users|selectattr('type', 'defined')|map(attribute='name')|list }}", "users", USERS));
    assertEquals("[0, '', None] ['b'] [1, 3]", render("{{ [0, 1, '', none, 'a']|reject|list }} "
        + "{{ ['a', 'b']|reject('in', ['a'])|list }} {{ [1, 2, 3]|reject('equalto', 2)|list }}"));
  }

  @Test
  void filters_that_select_or_map_treat_none_as_an_empty_sequence_as_jinja_does() {
    assertEquals("[] [] [] []", render("{{ none|selectattr('type', 'equalto', 'x')|list }} {{ none|rejectattr('a')|list }} "
        + "{{ none|reject('none')|list }} {{ none|map('upper')|list }}"));
  }

  @Test
  void sort_unique_and_min_ignore_case_unless_asked() {
    assertEquals("[1, 2, 3] [3, 2, 1] ['A', 'b', 'c'] ['A', 'b', 'c'] ['y', 'x']",
        render("{{ [3, 1, 2]|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} "
            + "{{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ users|sort(attribute='type')|map(attribute='name')|list }}",
            "users", USERS));
    assertEquals("[1, 2, 3] ['a', 'b'] ['a', 'A', 'b']", render("{{ [1, 2, 1, 3]|unique|list }} "
        + "{{ ['a', 'A', 'b']|unique|list }} {{ ['a', 'A', 'b']|unique(case_sensitive=true)|list }}"));
    assertEquals("1 a []", render("{{ [3, 1, 2]|min }} {{ ['b', 'a', 'C']|min }} [{{ []|min }}]"));
  }

  @Test
  void int_reads_numbers_and_text_or_falls_back_to_the_default() {
    assertEquals("42 42 0 7 3 1 0 12 -5", render("{{ '42'|int }} {{ '42.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} "
        + "{{ f|int }} {{ true|int }} {{ none|int }} {{ ' 12 '|int }} {{ '-5'|int }}", "f", 3.9));
  }

  @Test
  void string_and_safe_print_values_as_python_str() {
    assertEquals("42 [1, 'a'] None x 1.0", render("{{ 42|string }} {{ [1, 'a']|string }} {{ none|string }} "
        + "{{ 'x'|safe }} {{ f|string }}", "f", 1.0));
  }

  @Test
  void indent_indents_lines_after_the_first() {
    assertEquals("a\n    b\n\n    c|  a\n  b|a\n  \n  b|a\n> b", render("{{ 'a\\nb\\n\\nc'|indent }}|"
        + "{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}|{{ 'a\\nb'|indent('> ') }}"));
    assertEquals("        x\n        y", render("{{ 'x\\ny'|indent(8, first=true) }}"));
  }

  @Test
  void from_json_reads_a_json_string_into_values_as_llama_cpp_does() {
    assertEquals("Paris 2 [1, 2.5, None, True] {'x': 'y'}", render("{% set a = s|from_json %}{{ a.city }} {{ a.days }} "
        + "{{ '[1, 2.5, null, true]'|fromjson }} {{ '{\"x\": \"y\"}'|from_json }}", "s", "{\"city\": \"Paris\", \"days\": 2}"));
    assertEquals("city=Paris;", render("{% for k, v in (s|from_json).items() %}{{ k }}={{ v }};{% endfor %}",
        "s", "{\"city\": \"Paris\"}"));
    assertEquals("[1, 2, 3]", render("{% set l = '[1, 2]'|from_json %}{% set _ = l.append(3) %}{{ l }}"));
  }

  @Test
  void from_json_fails_on_text_that_is_not_json() {
    TemplateException e = assertThrows(TemplateException.class, () -> render("{{ '{bad'|from_json }}"));
    assertEquals("line 1, column 11: from_json: invalid JSON at line 1, column 2 (offset 1): unexpected 'b';"
        + " expected a member name in double quotes", e.getMessage());
    e = assertThrows(TemplateException.class, () -> render("{{ x|fromjson }}", "x", Arrays.asList(1)));
    assertEquals("line 1, column 6: fromjson needs a string, not 'list'", e.getMessage());
  }
}

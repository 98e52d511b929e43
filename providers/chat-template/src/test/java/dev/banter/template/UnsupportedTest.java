package dev.banter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jinja and Python features no real chat template uses are left out of the engine; a template that
 * uses one fails with a message naming it, never renders wrong text.
 */
class UnsupportedTest {

  static Stream<Arguments> dropped_filters() {
    return Stream.of("abs", "attr", "batch", "center", "count", "d", "e", "escape", "forceescape", "float", "format",
        "max", "reverse", "round", "select", "slice", "sum", "title", "truncate", "wordcount").map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void dropped_filters(String filter) {
    TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> ChatTemplate.parse("{{ x|" + filter + " }}"));
    assertTrue(e.getMessage().startsWith("line 1, column 6: the filter '" + filter + "' is not supported; the filters are "
        + "capitalize, default, dictsort, first, from_json, fromjson, indent, int, items, join, last, length, list, lower,"
        + " map, min, reject, rejectattr, replace, safe, selectattr, sort, string, tojson, trim, unique, upper"),
        e.getMessage());
  }

  static Stream<Arguments> dropped_tests() {
    return Stream.of("callable", "divisibleby", "eq", "escaped", "even", "filter", "float", "ge", "greaterthan", "gt", "le",
        "lessthan", "lower", "lt", "ne", "odd", "sameas", "test", "upper").map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void dropped_tests(String test) {
    TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> ChatTemplate.parse("{{ x is " + test + " }}"));
    assertTrue(e.getMessage().startsWith("line 1, column 9: the test '" + test + "' is not supported; the tests are "
        + "boolean, defined, equalto, false, in, integer, iterable, mapping, none, number, sequence, string, true, undefined"),
        e.getMessage());
  }

  static Stream<Arguments> dropped_syntax() {
    return Stream.of(
        Arguments.of("{{ 7 / 2 }}", "line 1, column 6: the operator '/' is not supported"),
        Arguments.of("{{ 7 // 2 }}", "line 1, column 6: the operator '//' is not supported"),
        Arguments.of("{{ 2 ** 3 }}", "line 1, column 6: the operator '**' is not supported"),
        Arguments.of("{{ +1 }}", "line 1, column 4: the unary operator '+' is not supported"),
        Arguments.of("{{ 1 < 2 < 3 }}", "line 1, column 6: chained comparisons such as a < b < c are not supported"),
        Arguments.of("{{ 1.5 }}", "line 1, column 4: the number literal '1.5' is not supported; chat templates take decimal"
            + " integers only"),
        Arguments.of("{{ 1e3 }}", "line 1, column 4: the number literal '1e3' is not supported"),
        Arguments.of("{{ 0x10 }}", "line 1, column 4: the number literal '0x10' is not supported"),
        Arguments.of("{{ 0o7 }}", "line 1, column 4: the number literal '0o7' is not supported"),
        Arguments.of("{{ 0b1 }}", "line 1, column 4: the number literal '0b1' is not supported"),
        Arguments.of("{{ 1_000 }}", "line 1, column 4: the number literal '1_000' is not supported"),
        Arguments.of("{{ 99999999999999999999 }}", "line 1, column 4: the integer 99999999999999999999 does not fit in 64 bits"),
        Arguments.of("{{ 'a\\tb' }}", "line 1, column 6: the escape '\\t' is not supported; chat templates use \\n, \\\\,"
            + " \\' and \\\""),
        Arguments.of("{{ '\\r' }}", "the escape '\\r' is not supported"),
        Arguments.of("{{ '\\a\\b' }}", "the escape '\\a' is not supported"),
        Arguments.of("{{ '\\f' }}", "the escape '\\f' is not supported"),
        Arguments.of("{{ '\\v' }}", "the escape '\\v' is not supported"),
        Arguments.of("{{ '\\x41' }}", "the escape '\\x' is not supported"),
        Arguments.of("{{ '\\u00e9' }}", "the escape '\\u' is not supported"),
        Arguments.of("{{ '\\U0001F600' }}", "the escape '\\U' is not supported"),
        Arguments.of("{{ '\\N{BULLET}' }}", "the escape '\\N' is not supported"),
        Arguments.of("{{ '\\101' }}", "the escape '\\1' is not supported"),
        Arguments.of("{{ x[1, 2] }}", "line 1, column 7: tuple subscripts such as x[a, b] are not supported"),
        Arguments.of("{{ f(*args) }}", "line 1, column 6: '*' arguments in a call are not supported"),
        Arguments.of("{{ f(**kwargs) }}", "line 1, column 6: '**' arguments in a call are not supported"),
        Arguments.of("{% for x in y %}{% else %}{% endfor %}", "line 1, column 20: '{% else %}' in a for loop is not supported"),
        Arguments.of("{% for x in y recursive %}{% endfor %}", "line 1, column 15: recursive for loops are not supported"),
        Arguments.of("{% set x | upper %}a{% endset %}", "line 1, column 10: filters on a set block ({% set x | filter %})"
            + " are not supported"),
        Arguments.of("{% call m() %}x{% endcall %}", "line 1, column 4: the 'call' tag is not supported"),
        Arguments.of("{% with a = 1 %}{% endwith %}", "line 1, column 4: the 'with' tag is not supported"),
        Arguments.of("{% for x in y %}{% continue %}{% endfor %}", "line 1, column 20: the 'continue' tag is not supported"),
        Arguments.of("{% raw %}{{ x }}{% endraw %}", "line 1, column 1: the 'raw' block is not supported"),
        Arguments.of("a\n  {%+ if true %}x{% endif %}", "line 2, column 3: the '+' whitespace marker is not supported"),
        Arguments.of("{% if true +%}\nx{% endif %}", "line 1, column 12: the '+' whitespace marker is not supported"),
        Arguments.of("{#+ note #}", "line 1, column 1: the '+' whitespace marker is not supported"),
        Arguments.of("{{ x is == 1 }}", "line 1, column 9: expected a test name after 'is', found '=='"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void dropped_syntax(String template, String message) {
    TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> ChatTemplate.parse(template));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  static Stream<Arguments> dropped_at_render_time() {
    return Stream.of(
        Arguments.of("{{ 9223372036854775807 + 1 }}", "line 1, column 24: integer overflow: 9223372036854775807 + 1 does not"
            + " fit in 64 bits"),
        Arguments.of("{{ 4611686018427387904 * 2 }}", "integer overflow: 4611686018427387904 * 2 does not fit in 64 bits"),
        Arguments.of("{{ -x }}", "integer overflow: -(-9223372036854775808) does not fit in 64 bits"),
        Arguments.of("{{ 'Hi %s' % 'x' }}", "line 1, column 12: string formatting with '%' is not supported; join text"
            + " with '~' or use str.format() with '{}' fields"),
        Arguments.of("{{ f % 2 }}", "'%' is supported between integers only, not 'float' and 'int'"),
        Arguments.of("{{ 5 % 0 }}", "integer modulo by zero"),
        Arguments.of("{{ [1] * 2 }}", "unsupported operand type(s) for *: 'list' and 'int'"),
        Arguments.of("{{ 'a'.title() }}", "'str object' has no attribute 'title'"),
        Arguments.of("{{ 'a'.capitalize() }}", "'str object' has no attribute 'capitalize'"),
        Arguments.of("{{ 'a'.find('a') }}", "'str object' has no attribute 'find'"),
        Arguments.of("{{ ','.join(['a']) }}", "'str object' has no attribute 'join'"),
        Arguments.of("{{ 'a'.rsplit() }}", "'str object' has no attribute 'rsplit'"),
        Arguments.of("{{ [1].extend([2]) }}", "'list object' has no attribute 'extend'"),
        Arguments.of("{{ [1].insert(0, 2) }}", "'list object' has no attribute 'insert'"),
        Arguments.of("{{ (1, 2).index(1) }}", "'tuple object' has no attribute 'index'"),
        Arguments.of("{{ m.update({}) }}", "'dict object' has no attribute 'update'"),
        Arguments.of("{{ m.values() }}", "'dict object' has no attribute 'values'"),
        Arguments.of("{{ m.pop('a') }}", "'dict object' has no attribute 'pop'"),
        Arguments.of("{{ 'x'.startswith(('a', 'x')) }}", "str.startswith() expects a string argument, not 'tuple'"),
        Arguments.of("{{ '{0}'.format(1) }}", "str.format() supports only '{}' fields, not '{0}'"),
        Arguments.of("{{ '{name}'.format(name=1) }}", "str.format() supports only '{}' fields filled by position, not"
            + " keyword arguments"),
        Arguments.of("{{ '{:>5}'.format(1) }}", "str.format() supports only '{}' fields, not '{:>5}'"),
        Arguments.of("{{ dict(a=1) }}", "'dict' is undefined"),
        Arguments.of("{{ namespace({'a': 1}) }}", "namespace() takes keyword arguments only, such as namespace(found=false)"),
        Arguments.of("{{ strftime_now('%H:%M') }}", "the strftime directive '%H' is not supported; chat templates use %Y, %m,"
            + " %d, %b and %B"),
        Arguments.of("{% for x in [1] %}{{ loop.length }}{% endfor %}", "line 1, column 26: loop.length is not supported;"
            + " the loop variable has index, index0, first, last, previtem and nextitem"),
        Arguments.of("{% for x in [1] %}{{ loop.revindex }}{% endfor %}", "loop.revindex is not supported"),
        Arguments.of("{% for x in [1] %}{{ loop.revindex0 }}{% endfor %}", "loop.revindex0 is not supported"),
        Arguments.of("{% for x in [1] %}{{ loop.depth }}{% endfor %}", "loop.depth is not supported"),
        Arguments.of("{% for x in [1] %}{{ loop.cycle('a', 'b') }}{% endfor %}", "loop.cycle is not supported"),
        Arguments.of("{% for x in [1] %}{{ loop.changed(x) }}{% endfor %}", "loop.changed is not supported"),
        Arguments.of("{% macro m(a) %}{{ varargs }}{% endmacro %}{{ m(1, 2) }}", "macro 'm' takes 1 argument but got 2"
            + " (extra arguments as varargs are not supported)"),
        Arguments.of("{% macro m(a) %}{{ kwargs }}{% endmacro %}{{ m(1, b=2) }}", "macro 'm' has no parameter 'b' (extra"
            + " keyword arguments as kwargs are not supported)"),
        Arguments.of("{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}", "'caller' is undefined"),
        Arguments.of("{{ x|tojson(sort_keys=true) }}", "tojson() got an unexpected keyword argument 'sort_keys'"),
        Arguments.of("{{ x|tojson(separators=(',', ':')) }}", "tojson() got an unexpected keyword argument 'separators'"),
        Arguments.of("{{ 'xax'|trim('x') }}", "trim() takes at most 0 arguments (1 given)"),
        Arguments.of("{{ [m]|join(',', attribute='a') }}", "join() got an unexpected keyword argument 'attribute'"),
        Arguments.of("{{ '1f'|int(base=16) }}", "int() got an unexpected keyword argument 'base'"),
        Arguments.of("{{ ['a']|map('title')|list }}", "the filter 'title' is not supported"),
        Arguments.of("{{ [1]|reject('odd')|list }}", "the test 'odd' is not supported"),
        Arguments.of("{{ [m]|selectattr('a', 'divisibleby', 3)|list }}", "the test 'divisibleby' is not supported"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void dropped_at_render_time(String template, String message) {
    ChatTemplate parsed = ChatTemplate.parse(template);
    TemplateException e = assertThrows(TemplateException.class, () -> parsed.withClock(Render.CLOCK)
        .render(Render.variables("x", Long.MIN_VALUE, "f", 1.5, "m", Map.of("a", 1))));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void a_known_python_escape_fails_but_an_unknown_one_stays_as_written_as_in_python() {
    assertEquals("\\d \\q \\[", Render.render("{{ '\\d \\q \\[' }}"));
    assertThrows(TemplateSyntaxException.class, () -> ChatTemplate.parse("{{ '\\t' }}"));
  }

  @Test
  void unsupported_features_do_not_stop_a_template_that_never_reaches_them_at_render_time() {
    assertEquals("ok", Render.render("{% if false %}{{ 'a'.title() }}{{ loop.length }}{% endif %}ok"));
    assertEquals("[]", Render.render("{{ xs|map('upper')|list }}", "xs", List.of()));
  }
}

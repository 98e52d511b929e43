package dev.banter.template;

import static dev.banter.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad templates and bad values fail with specific errors that say where and why. */
class ErrorsTest {

  @Test
  void raise_exception_raises_the_templates_message_with_its_position() {
    TemplateRaisedException e = assertThrows(TemplateRaisedException.class,
        () -> render("{% if messages[0].role == 'system' %}\n  {{ raise_exception('System role not supported') }}\n{% endif %}",
            "messages", List.of(Map.of("role", "system", "content", "x"))));
    assertEquals("System role not supported", e.reason());
    assertEquals("line 2, column 21: the chat template raised an error: System role not supported", e.getMessage());
    assertEquals(2, e.line().getAsInt());
  }

  @Test
  void syntax_errors_give_line_and_column() {
    assertSyntax("{% if x %}\n\nabc", 3, 4, "unexpected end of template: the 'if' block opened at line 1 is never closed;"
        + " expected {% elif %}, {% else %} or {% endif %}");
    assertSyntax("a\n{% for x in y %}{% endif %}", 2, 20, "unexpected '{% endif %}': the innermost open block is the "
        + "'for' opened at line 2, which expects {% endfor %} or {% else %}");
    assertSyntax("\n  {{ 'unterminated }}", 2, 6, "the string opened here is never closed; expected '");
    assertSyntax("{% foo %}", 1, 4, "unknown tag 'foo'");
    assertSyntax("{% endfor %}", 1, 4, "unexpected '{% endfor %}': no open block expects it here");
    assertSyntax("{{ x | }}", 1, 8, "expected a filter name after '|', found end of print statement");
    assertSyntax("{{ }}", 1, 4, "expected an expression, found end of print statement");
    assertSyntax("{{ x|nofilter }}", 1, 6, "the filter 'nofilter' is not supported; the filters are capitalize, default,"
        + " dictsort, first, from_json, fromjson, indent, int, items, join, last, length, list, lower, map, min, reject,"
        + " rejectattr, replace, safe, selectattr, sort, string, tojson, trim, unique, upper");
    assertSyntax("{{ x is nottest }}", 1, 9, "the test 'nottest' is not supported; the tests are boolean, defined, equalto,"
        + " false, in, integer, iterable, mapping, none, number, sequence, string, true, undefined");
    assertSyntax("{% break %}", 1, 4, "'break' is only allowed inside a for loop");
    assertSyntax("{{ 1 + }}", 1, 8, "unexpected end of print statement; expected an expression");
    assertSyntax("{# never closed", 1, 1, "the comment opened here is never closed; expected '#}'");
    assertSyntax("{{ x", 1, 1, "the tag opened here is never closed; expected '}}'");
    assertSyntax("{% include 'x' %}", 1, 4, "'include' is not available: a chat template is a single file and cannot load"
        + " other templates");
    assertSyntax("{{ a ! b }}", 1, 6, "unexpected character '!' in a tag");
  }

  private static void assertSyntax(String template, int line, int column, String message) {
    TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class, () -> ChatTemplate.parse(template));
    assertEquals("line " + line + ", column " + column + ": " + message, e.getMessage());
    assertEquals(line, e.line().getAsInt());
    assertEquals(column, e.column().getAsInt());
  }

  @Test
  void type_errors_say_which_operation_failed() {
    assertRuntime("{{ 'a' + 1 }}", "line 1, column 8: unsupported operand type(s) for +: 'str' and 'int'");
    assertRuntime("{{ 1 % 0 }}", "line 1, column 6: integer modulo by zero");
    assertRuntime("{{ 1 < 'a' }}", "line 1, column 6: '<' not supported between instances of 'int' and 'str'");
    assertRuntime("{{ [1, 2, 3][::0] }}", "line 1, column 13: slice step cannot be zero");
    assertRuntime("{% set a, b = [3] %}", "line 1, column 1: not enough values to unpack (expected 2, got 1)");
    assertRuntime("{% set d = {} %}{% set d.x = 1 %}",
        "line 1, column 17: cannot assign attribute on non-namespace object ('d' is a dict)");
    assertRuntime("{{ range(1000000) }}", "line 1, column 9: range of 1000000 items is too big; at most 100000 are allowed");
  }

  private static void assertRuntime(String template, String message) {
    TemplateException e = assertThrows(TemplateException.class, () -> render(template));
    assertEquals(TemplateException.class, e.getClass());
    assertEquals(message, e.getMessage());
  }

  @Test
  void values_of_unknown_types_are_refused_with_their_path() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> render("{{ m }}", "m", List.of(Map.of("content", new StringBuilder("ok"), "when", new Object()))));
    assertTrue(e.getMessage().startsWith("cannot pass this value to the chat template: the value at m[0]['when'] has type"
        + " java.lang.Object"), e.getMessage());
  }
}

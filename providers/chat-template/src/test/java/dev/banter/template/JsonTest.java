package dev.banter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON reader. */
class JsonTest {

  @Test
  void reads_every_kind_of_value() {
    Object value = Json.parse(" {\"s\": \"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\", \"i\": -12, \"f\": 1.5e3, \"t\": true,"
        + " \"n\": null, \"a\": [1, [], {}], \"big\": 123456789012345678901234567890, \"z\": -0.0 }\n");
    Map<?, ?> map = (Map<?, ?>) value;
    assertEquals("a\"b\\c/\né😀", map.get("s"));
    assertEquals(-12L, map.get("i"));
    assertEquals(1500.0, map.get("f"));
    assertEquals(true, map.get("t"));
    assertNull(map.get("n"));
    assertEquals(Arrays.asList(1L, List.of(), Map.of()), map.get("a"));
    assertEquals(new BigInteger("123456789012345678901234567890"), map.get("big"));
    assertEquals(-0.0, map.get("z"));
    assertEquals(List.of("s", "i", "f", "t", "n", "a", "big", "z"), List.copyOf(map.keySet()));
  }

  @Test
  void reads_scalars_at_the_top_level() {
    assertEquals(9223372036854775807L, Json.parse("9223372036854775807"));
    assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
    assertEquals("x", Json.parse("\"x\""));
    assertNull(Json.parse("null"));
  }

  @Test
  void returns_unmodifiable_collections() {
    List<?> list = (List<?>) Json.parse("[1]");
    assertThrows(UnsupportedOperationException.class, () -> list.clear());
  }

  @Test
  void rejects_what_rfc_8259_does_not_allow_and_says_where() {
    assertError("{\"a\": 1,}", 1, 9, "unexpected '}'; expected a member name in double quotes");
    assertError("[1, 2,]", 1, 7, "unexpected ']'; expected a JSON value");
    assertError("{'a': 1}", 1, 2, "unexpected '''; expected a member name in double quotes");
    assertError("[01]", 1, 3, "a number may not have leading zeros");
    assertError("[1.]", 1, 4, "a number needs digits after the decimal point");
    assertError("[NaN]", 1, 2, "unexpected 'N'; expected a JSON value");
    assertError("\"tab\there\"", 1, 5, "control character U+0009 in a string; write it as an escape such as \\n or \\u00XX");
    assertError("\"\\x41\"", 1, 2, "invalid escape sequence \\x");
    assertError("\"\\u12\"", 1, 2, "\\u must be followed by four hex digits");
    assertError("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate member name \"a\"");
    assertError("[1] x", 1, 5, "unexpected 'x' after the JSON value; only whitespace may follow it");
    assertError("", 1, 1, "unexpected end of input; expected a JSON value");
    assertError("{\n  \"a\": [1, 2\n}", 3, 1, "unexpected '}'; expected ',' or ']' after an array element");
    assertError("\"abc", 1, 1, "unterminated string");
    assertError("1e999", 1, 1, "the number 1e999 is out of the range of a double");
    assertError("// comment\n1", 1, 1, "unexpected '/'; expected a JSON value");
    assertError("\uFEFF1", 1, 1, "unexpected byte order mark U+FEFF; expected a JSON value");
  }

  @Test
  void rejects_nesting_deeper_than_the_limit_without_overflowing_the_stack() {
    String deep = String.join("", Collections.nCopies(100_000, "["));
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
    assertEquals("invalid JSON at line 1, column 257 (offset 256): JSON nests deeper than 256 levels", e.getMessage());
    String ok = String.join("", Collections.nCopies(Json.MAX_DEPTH, "[")) + String.join("", Collections.nCopies(Json.MAX_DEPTH, "]"));
    assertEquals(1, ((List<?>) Json.parse(ok)).size());
  }

  private static void assertError(String text, int line, int column, String what) {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertEquals("invalid JSON at line " + line + ", column " + column + " (offset " + e.offset() + "): " + what, e.getMessage());
  }
}

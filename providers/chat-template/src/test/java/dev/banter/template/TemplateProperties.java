package dev.banter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the renderer that hold for any value or text. */
class TemplateProperties {

  @Property
  void tojson_output_reads_back_as_the_same_value(@ForAll("jsonValues") Object value) {
    assertEquals(value, Json.parse(Render.render("{{ v|tojson }}", "v", value)));
  }

  @Property
  void indented_and_ascii_only_tojson_read_back_as_the_same_value(@ForAll("jsonValues") Object value,
      @ForAll @IntRange(min = 0, max = 4) int indent) {
    String json = Render.render("{{ v|tojson(indent=n, ensure_ascii=true) }}", "v", value, "n", indent);
    assertTrue(json.chars().allMatch(c -> c < 0x80), json);
    assertEquals(value, Json.parse(json));
  }

  @Property
  void text_without_tags_renders_unchanged_apart_from_jinjas_newline_rules(@ForAll("plainText") String text) {
    String expected = text.replace("\r\n", "\n").replace('\r', '\n');
    if (expected.endsWith("\n")) {
      expected = expected.substring(0, expected.length() - 1);
    }
    assertEquals(expected, Render.render(text));
  }

  @Property
  void python_float_repr_reads_back_as_the_same_double(@ForAll double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return;
    }
    String repr = Repr.floatRepr(d);
    assertEquals(d, Double.parseDouble(repr), repr);
    assertTrue(repr.contains(".") || repr.contains("e"), repr);
  }

  @Property
  void reversing_a_string_twice_with_slices_gives_it_back(@ForAll("anyText") String s) {
    assertEquals(s, Render.render("{{ s[::-1][::-1] }}", "s", s));
    assertEquals(String.valueOf(s.codePointCount(0, s.length())), Render.render("{{ s|length }}", "s", s));
  }

  @Property(tries = 2000)
  void any_token_soup_either_renders_or_fails_with_a_template_exception(@ForAll("tokenSoup") String template) {
    try {
      ChatTemplate.parse(template).withClock(Render.CLOCK)
          .render(Render.variables("x", 1, "xs", List.of(1, 2), "m", Map.of("role", "user")));
    } catch (TemplateException expected) {
      assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
    }
  }

  @Property
  void any_text_either_parses_as_json_or_fails_with_a_json_exception(@ForAll("jsonSoup") String text) {
    try {
      Json.parse(text);
    } catch (JsonException expected) {
      assertTrue(expected.offset() >= 0 && expected.offset() <= text.length());
    }
  }

  @Provide
  Arbitrary<Object> jsonValues() {
    return value(3);
  }

  private Arbitrary<Object> value(int depth) {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        text(12).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.<Object>just(null));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<Object> lists = value(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
    Arbitrary<Object> maps = Arbitraries.maps(text(6), value(depth - 1))
        .ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalar), net.jqwik.api.Tuple.of(1, lists),
        net.jqwik.api.Tuple.of(1, maps));
  }

  /** Any text, weighted towards ASCII, control characters and the characters JSON and Jinja treat specially. */
  private static Arbitrary<String> text(int maxLength) {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(maxLength),
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars("\u2028\uD83D\uDE00\uFEFF").ofMaxLength(maxLength),
        Arbitraries.strings().withChars("\"\\\n\r\t{}%#-+ ab").ofMaxLength(maxLength));
  }

  @Provide
  Arbitrary<String> plainText() {
    return text(60)
        .filter(s -> !s.contains("{{") && !s.contains("{%") && !s.contains("{#"));
  }

  @Provide
  Arbitrary<String> anyText() {
    return text(30).filter(TemplateProperties::wellFormed);
  }

  /** Whether every surrogate is paired: only then are a string's code points unambiguous. */
  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of("{%", "%}", "{{", "}}", "{#", "#}", "-", "+", " ", "\n", "if", "elif", "else", "endif", "for",
        "in", "endfor", "set", "endset", "macro", "endmacro", "call", "endcall", "raw", "endraw", "x", "xs", "m", "loop",
        "=", "==", "1", "0", "'a'", "\"b\"", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "upper", "length", "is",
        "defined", "not", "and", "or", "~", "*", "**", "/", "//", "%", "range(3)", "namespace()", "caller()", "break",
        "continue", "recursive", "none", "true", "items()", "tojson", "join", "[::-1]", "raise_exception('r')")
        .list().ofMaxSize(40).map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<String> jsonSoup() {
    return Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00", "a", "1", "-", ".", "e", "0", "true",
        "null", " ", "\n", "\"k\"", "1.5e3", "\uD83D", "\u0001")
        .list().ofMaxSize(40).map(tokens -> String.join("", tokens));
  }
}

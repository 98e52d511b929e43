package dev.banter.local.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.template.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** JSON Schema to grammar: exact bounds, random schemas under a random "model", composition, errors. */
class JsonSchemaGrammarTest {
  private static final TokenIndex VOCAB = Vocabs.index(Vocabs.JSON_WORDS);
  private static final byte[][] TABLE = Vocabs.table(Vocabs.JSON_WORDS);

  private static boolean accepts(Grammar g, String text) {
    GrammarMatcher m = new GrammarMatcher(g, VOCAB);
    return m.acceptBytes(text.getBytes(StandardCharsets.UTF_8)) && m.isComplete();
  }

  @Property(tries = 60)
  void integer_bounds_are_exact(@ForAll @LongRange(min = -3000, max = 3000) long lo,
      @ForAll @IntRange(min = 1, max = 2500) int width, @ForAll boolean exclusive) {
    long hi = lo + width;
    String max = exclusive ? "\"exclusiveMaximum\":" + hi : "\"maximum\":" + hi;
    Grammar g = Grammar.fromJsonSchema("{\"type\":\"integer\",\"minimum\":" + lo + "," + max + "}");
    long top = exclusive ? hi - 1 : hi;
    Random r = new Random(lo * 31 + width);
    for (int i = 0; i < 200; i++) {
      long v = lo - 60 + r.nextInt(width + 121);
      assertEquals(v >= lo && v <= top, accepts(g, Long.toString(v)), v + " in [" + lo + ", " + top + "]");
    }
    assertTrue(accepts(g, Long.toString(lo)) == (lo <= top));
    assertTrue(!accepts(g, "0" + Math.abs(lo)), "no leading zeros");
  }

  @Property(tries = 300)
  void random_schemas_give_valid_json_under_a_random_model(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 80) int maxTokens) {
    Object schema = RandomSchemas.of(seed);
    Grammar g = Grammar.fromJsonSchema(JsonText.write(schema));
    String text = NoiseWalk.generate(g, TABLE, VOCAB, new Random(seed), maxTokens);
    Object value;
    try {
      value = Json.parse(text);
    } catch (RuntimeException e) {
      throw new AssertionError(JsonText.write(schema) + " -> " + text, e);
    }
    assertNull(SchemaCheck.validate(schema, value), () -> JsonText.write(schema) + " -> " + text);
  }

  @Example
  void a_recursive_schema_through_defs_is_closed_by_the_completion() {
    String schema = "{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{"
        + "\"value\":{\"type\":\"integer\"},\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}},"
        + "\"required\":[\"value\",\"children\"],\"additionalProperties\":false}}}";
    Grammar g = Grammar.fromJsonSchema(schema);
    assertTrue(accepts(g, "{\"value\": 1, \"children\": [{\"value\": -2, \"children\": []}]}"));
    for (int seed = 0; seed < 50; seed++) {
      String text = NoiseWalk.generate(g, TABLE, VOCAB, new Random(seed), 60);
      assertNull(SchemaCheck.validate(Json.parse(schema), Json.parse(text)), text);
    }
  }

  @Example
  void properties_come_in_schema_order_required_first_and_optional_ones_may_be_left_out() {
    Grammar g = Grammar.fromJsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
        + "\"b\":{\"type\":\"boolean\"},\"c\":{\"type\":\"null\"}},\"required\":[\"b\"],\"additionalProperties\":false}");
    assertTrue(accepts(g, "{\"b\":true}"));
    assertTrue(accepts(g, "{\"b\":true,\"a\":1,\"c\":null}"));
    assertTrue(accepts(g, "{ \"b\" : false ,\n  \"c\":null }"));
    assertTrue(!accepts(g, "{\"a\":1,\"b\":true}"), "required first");
    assertTrue(!accepts(g, "{}"));
    assertTrue(!accepts(g, "{\"b\":true,\"d\":1}"), "no additional properties");
    Grammar optional = Grammar.fromJsonSchema("{\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"integer\"}}}");
    for (String ok : List.of("{}", "{\"a\":1}", "{\"b\":2}", "{\"a\":1,\"b\":2}")) {
      assertTrue(accepts(optional, ok), ok);
    }
    assertTrue(!accepts(optional, "{,\"b\":2}"));
  }

  @Example
  void whitespace_between_tokens_is_bounded() {
    Grammar g = Grammar.jsonObject();
    assertTrue(accepts(g, "{\n" + " ".repeat(20) + "\"a\": 1}"));
    assertTrue(!accepts(g, "{\n" + " ".repeat(21) + "\"a\": 1}"));
    assertTrue(!accepts(g, "{  \"a\": 1}"), "one space at most, or a line break and indentation");
  }

  @Example
  void numbers_keep_to_their_bounds_with_or_without_a_fraction() {
    Grammar g = Grammar.fromJsonSchema("{\"type\":\"number\",\"minimum\":-2.5,\"maximum\":3}");
    for (String ok : List.of("-2", "0", "3", "2.999", "-1.5", "-0.25")) {
      assertTrue(accepts(g, ok), ok);
    }
    for (String bad : List.of("-3", "4", "3.5", "-2.5000001", "-2.9", "01")) {
      assertTrue(!accepts(g, bad), bad);
    }
  }

  @Example
  void a_tool_call_grammar_composes_literals_with_a_schema() {
    Grammar.Builder b = Grammar.builder();
    Map<?, ?> args = (Map<?, ?>) Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
        + "\"required\":[\"city\"],\"additionalProperties\":false}");
    Expr call = Expr.seq(Expr.literal("{\"name\": \"weather\", \"arguments\": "), b.jsonSchema("weather", args),
        Expr.literal("}"));
    Grammar g = b.build(Expr.seq(Expr.literal("<tool_call>\n"), call, Expr.literal("\n</tool_call>")));
    assertTrue(accepts(g, "<tool_call>\n{\"name\": \"weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>"));
    assertTrue(!accepts(g, "<tool_call>\n{\"name\": \"weather\", \"arguments\": {}}\n</tool_call>"));
    GrammarMatcher m = new GrammarMatcher(g, VOCAB);
    assertEquals("<tool_call>\n{\"name\": \"weather\", \"arguments\": {\"city\":\"\"}}\n</tool_call>",
        new String(m.completion(), StandardCharsets.UTF_8));
  }

  @Example
  void schemas_that_cannot_be_enforced_name_the_location() {
    assertMessage("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strin\"}}}", "#/properties/a/type", "strin");
    assertMessage("{\"type\":\"string\",\"pattern\":\"^a$\"}", "#/pattern", "not supported");
    assertMessage("{\"type\":\"array\",\"minItems\":3,\"maxItems\":1}", "#/maxItems", "below minItems");
    assertMessage("{\"type\":\"string\",\"minLength\":-1}", "#/minLength", "non-negative");
    assertMessage("{\"$ref\":\"#/$defs/missing\"}", "#/$ref", "points to nothing");
    assertMessage("{\"$ref\":\"http://example.com/s.json\"}", "#/$ref", "only local references");
    assertMessage("{\"anyOf\":[{\"type\":\"integer\"},{\"type\":[]}]}", "#/anyOf/1/type", "empty array");
    assertMessage("{\"type\":\"integer\",\"minimum\":5,\"maximum\":4}", "#", "no integer");
    assertMessage("{\"properties\":{\"a\":false},\"required\":[\"a\"]}", "#/properties/a", "is false");
    assertMessage("{\"$ref\":\"#/$defs/a\",\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}}}", "left-recursive", "ref");
    assertMessage("[1,", "not valid JSON", "");
  }

  private static void assertMessage(String schema, String part, String reason) {
    GrammarException e = assertThrows(GrammarException.class, () -> Grammar.fromJsonSchema(schema));
    assertTrue(e.getMessage().contains(part) && e.getMessage().contains(reason), e.getMessage());
  }

  @Property(tries = 300)
  void json_object_mode_gives_objects_without_repeated_names(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 120) int maxTokens) {
    String text = NoiseWalk.generate(Grammar.jsonObject(), TABLE, VOCAB, new Random(seed), maxTokens);
    assertTrue(Json.parse(text) instanceof Map, text);
  }
}

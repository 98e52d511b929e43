package dev.banter.local.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.template.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matcher on synthetic vocabularies: bytes, multi-byte and byte-fallback tokens, masks, completion. */
class GrammarMatcherTest {
  private static final TokenIndex VOCAB = Vocabs.index(Vocabs.JSON_WORDS);

  private static int word(String w) {
    return 258 + Vocabs.JSON_WORDS.indexOf(w);
  }

  @Test
  void a_control_token_matches_where_the_grammar_names_it_and_nowhere_else() {
    byte[][] table = Vocabs.table(Vocabs.JSON_WORDS);
    table[Vocabs.CONTROL] = TokenIndex.controlBytes(Vocabs.CONTROL);
    BitSet eog = new BitSet();
    eog.set(Vocabs.EOS);
    TokenIndex index = TokenIndex.of(table, eog);
    Grammar.Builder b = Grammar.builder();
    Grammar g = b.build(Expr.seq(new Expr.Token(Vocabs.CONTROL), Expr.literal("a")));
    GrammarMatcher m = new GrammarMatcher(g, index);
    assertTrue(m.allows(Vocabs.CONTROL));
    assertFalse(m.allows(Vocabs.byteToken(0xFF)), "a byte token never stands in for a control token");
    assertArrayEquals(new int[] {Vocabs.CONTROL, word("a")}, m.completionTokens());
    float[] logits = new float[index.vocabSize()];
    assertEquals(1, m.maskLogits(logits), "only the control token may open the answer");
    m.accept(Vocabs.CONTROL);
    m.accept(word("a"));
    assertTrue(m.isComplete());

    GrammarMatcher text = new GrammarMatcher(Grammar.parse("root ::= [^\"]*"), index);
    assertFalse(text.allows(Vocabs.CONTROL), "text of any characters still holds no control token");
    assertTrue(text.allows(word("a")));
  }

  @Test
  void a_multi_byte_character_is_accepted_whole_or_as_byte_fallback_tokens() {
    Grammar g = Grammar.parse("root ::= \"x\" [é-ê] \"y\"");
    GrammarMatcher whole = new GrammarMatcher(g, VOCAB);
    whole.accept(Vocabs.byteToken('x'));
    whole.accept(word("é"));
    whole.accept(Vocabs.byteToken('y'));
    assertTrue(whole.isComplete());

    GrammarMatcher split = new GrammarMatcher(g, VOCAB);
    split.accept(Vocabs.byteToken('x'));
    assertTrue(split.allows(Vocabs.byteToken(0xC3)), "first byte of é");
    assertFalse(split.allows(Vocabs.byteToken(0xC4)), "no character in é-ê starts with C4");
    split.accept(Vocabs.byteToken(0xC3));
    assertFalse(split.allows(Vocabs.byteToken('y')), "the character is unfinished");
    assertTrue(split.allows(Vocabs.byteToken(0xA9)));
    assertFalse(split.allows(Vocabs.byteToken(0xAB)), "ë is outside the class");
    split.accept(Vocabs.byteToken(0xA9));
    split.accept(Vocabs.byteToken('y'));
    assertTrue(split.isComplete());
  }

  @Test
  void a_negated_class_takes_any_character_but_the_excluded_ones_in_any_number_of_bytes() {
    Grammar g = Grammar.parse("root ::= \"\\\"\" [^\"\\\\]* \"\\\"\"");
    for (String s : List.of("\"\"", "\"abc\"", "\"日本😀é\"")) {
      GrammarMatcher m = new GrammarMatcher(g, VOCAB);
      assertTrue(m.acceptBytes(s.getBytes(StandardCharsets.UTF_8)), s);
      assertTrue(m.isComplete(), s);
    }
    GrammarMatcher m = new GrammarMatcher(g, VOCAB);
    assertFalse(m.acceptBytes("\"a\\".getBytes(StandardCharsets.UTF_8)));
    assertFalse(m.acceptBytes(new byte[] {'"', (byte) 0xED, (byte) 0xA0}), "a surrogate is no character");
    assertFalse(m.acceptBytes(new byte[] {'"', (byte) 0xC0}), "an overlong encoding is no character");
  }

  @Test
  void a_token_may_span_several_grammar_symbols_and_rules() {
    Grammar g = Grammar.fromJsonSchema("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
        + "\"required\":[\"name\"],\"additionalProperties\":false}");
    GrammarMatcher m = new GrammarMatcher(g, VOCAB);
    assertFalse(m.allows(word("{}")), "name is required");
    m.accept(word("{\""));
    m.accept(word("name"));
    m.accept(word("\": "));
    m.accept(word("\""));
    m.accept(word("日本"));
    m.accept(word("\\n"));
    assertFalse(m.allows(word("\", \"")), "no second property");
    m.accept(word("\""));
    assertFalse(m.allows(Vocabs.EOS));
    m.accept(word("}"));
    assertTrue(m.allows(Vocabs.EOS));
    assertTrue(m.isComplete());
  }

  @Test
  void the_mask_is_exactly_the_tokens_allows_accepts_and_never_a_control_token() {
    Grammar g = Grammar.jsonObject();
    GrammarMatcher m = new GrammarMatcher(g, VOCAB);
    for (String prefix : List.of("", "{", "{\"a", "{\"a\":", "{\"a\": [1, tr", "{\"a\": {}}")) {
      GrammarMatcher p = new GrammarMatcher(g, VOCAB);
      assertTrue(p.acceptBytes(prefix.getBytes(StandardCharsets.UTF_8)), prefix);
      BitSet allowed = p.allowedTokens();
      for (int t = 0; t < VOCAB.vocabSize(); t++) {
        assertEquals(p.allows(t), allowed.get(t), "token " + t + " after '" + prefix + "'");
      }
      assertFalse(allowed.get(Vocabs.CONTROL));
      assertEquals(prefix.endsWith("}"), allowed.get(Vocabs.EOS), prefix);
      float[] logits = new float[VOCAB.vocabSize()];
      assertEquals(allowed.cardinality(), p.maskLogits(logits));
      for (int t = 0; t < logits.length; t++) {
        assertEquals(allowed.get(t), logits[t] == 0f, "logit of " + t);
      }
    }
    assertTrue(m.allows(word("{")));
  }

  @Test
  void completion_closes_open_strings_arrays_and_objects_with_the_least_content() {
    Grammar g = Grammar.fromJsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"items\":"
        + "{\"type\":\"string\",\"minLength\":2}},\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]}");
    GrammarMatcher m = new GrammarMatcher(g, VOCAB);
    assertEquals("{\"a\":[],\"b\":0}", new String(m.completion(), StandardCharsets.UTF_8));
    assertTrue(m.acceptBytes("{\"a\": [\"x".getBytes(StandardCharsets.UTF_8)));
    String done = "{\"a\": [\"x" + new String(m.completion(), StandardCharsets.UTF_8);
    Json.parse(done);
    assertEquals("{\"a\": [\"x0\"],\"b\":0}", done);
    int[] tokens = m.completionTokens();
    for (int t : tokens) {
      m.accept(t);
    }
    assertTrue(m.isComplete());
    assertEquals(0, m.completionTokens().length);
  }

  @Test
  void an_unknown_or_rejected_token_is_refused_and_leaves_the_state_alone() {
    GrammarMatcher m = new GrammarMatcher(Grammar.parse("root ::= \"ab\""), VOCAB);
    assertThrows(IllegalStateException.class, () -> m.accept(Vocabs.byteToken('b')));
    assertFalse(m.allows(-1));
    assertFalse(m.allows(VOCAB.vocabSize()));
    m.accept(word("ab"));
    assertTrue(m.isComplete());
    assertFalse(m.canContinue());
    assertArrayEquals(new int[0], m.completionTokens());
  }

  @Test
  void the_trie_shares_prefixes_and_keeps_every_token() {
    TokenIndex t = TokenIndex.of(Vocabs.table(List.of("a", "ab", "abc", "ab", "b")), new BitSet());
    // root, 255 single bytes (0xFF marks control tokens), then "ab", "abc" below "a" ("ab" twice
    // shares one node).
    assertEquals(1 + 255 + 2, t.nodeCount());
    GrammarMatcher m = new GrammarMatcher(Grammar.parse("root ::= \"ab\" \"c\"?"), t);
    BitSet allowed = m.allowedTokens();
    int[] expected = {Vocabs.byteToken('a'), 258, 258 + 1, 258 + 2, 258 + 3};
    int[] got = allowed.stream().toArray();
    Arrays.sort(expected);
    assertArrayEquals(expected, got);
  }

  @Test
  void a_matcher_that_outgrows_its_automaton_drops_it_and_carries_on() {
    int n = GrammarMatcher.MAX_STATES + 100;
    // Built as expressions: GBNF text caps repetition counts below this.
    Grammar g = Grammar.builder().build(Expr.seq(Expr.repeat(Expr.range('a', 'b'), 0, n), Expr.literal("!")));
    GrammarMatcher m = new GrammarMatcher(g, VOCAB);
    for (int i = 0; i < n; i++) {
      assertTrue(m.allowedTokens().get(Vocabs.byteToken('a')), "step " + i);
      m.accept(Vocabs.byteToken(i % 2 == 0 ? 'a' : 'b'));
    }
    assertTrue(m.stateCount() < GrammarMatcher.MAX_STATES, "dropped once: " + m.stateCount());
    assertFalse(m.allows(Vocabs.byteToken('a')), "the limit is reached");
    assertArrayEquals(new int[] {Vocabs.byteToken('!')}, m.completionTokens());
    m.accept(Vocabs.byteToken('!'));
    assertTrue(m.isComplete());
  }

  @Test
  void a_json_object_never_repeats_a_member_name_however_it_is_spelled() {
    GrammarMatcher m = new GrammarMatcher(Grammar.jsonObject(), VOCAB);
    assertTrue(m.acceptBytes("{\"a\": {\"a\": 1}, ".getBytes(StandardCharsets.UTF_8)), "inner objects have their own names");
    assertFalse(m.allows(word("\"a\"")), "a is taken");
    assertFalse(m.allowedTokens().get(word("\"a\"")));
    assertTrue(m.allows(word("\"name\"")));
    m.accept(word("\""));
    assertTrue(m.allows(word("a")), "a prefix of a taken name is fine");
    m.accept(word("\\u00e9"));
    assertTrue(m.allows(word("\"")), "é is free");
    m.accept(word("\""));
    m.accept(word(":"));
    m.accept(word("0"));
    m.accept(word(", "));
    m.accept(word("\""));
    m.accept(word("é"));
    assertFalse(m.allows(word("\"")), "é was written as \\u00e9 before");
    assertFalse(m.allows(word("\":")));
    float[] logits = new float[VOCAB.vocabSize()];
    m.maskLogits(logits);
    assertEquals(Float.NEGATIVE_INFINITY, logits[word("\"")]);
    assertEquals(0f, logits[word("a")]);
  }

  @Test
  void a_grammar_that_is_not_a_json_document_keeps_no_names() {
    GrammarMatcher m = new GrammarMatcher(Grammar.parse(GbnfTest.JSON), VOCAB);
    assertTrue(m.acceptBytes("{\"a\": 1, ".getBytes(StandardCharsets.UTF_8)));
    assertTrue(m.allows(word("\"a\"")), "GBNF text is matched as written");
  }

  @Test
  void a_forced_ending_lengthens_a_name_rather_than_repeat_it() {
    GrammarMatcher m = new GrammarMatcher(Grammar.jsonObject(), VOCAB);
    assertTrue(m.acceptBytes("{\"a\": 1, \"a".getBytes(StandardCharsets.UTF_8)));
    StringBuilder text = new StringBuilder("{\"a\": 1, \"a");
    for (int t : m.completionTokens()) {
      m.accept(t);
      text.append(new String(Vocabs.table(Vocabs.JSON_WORDS)[t], StandardCharsets.UTF_8));
    }
    assertTrue(m.isComplete());
    assertEquals("{\"a\": 1, \"a0\":0}", text.toString());
    Json.parse(text.toString());
  }
}

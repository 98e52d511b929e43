package dev.banter.local.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.template.Json;
import dev.banter.template.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GBNF: our own grammars in the spirit of llama.cpp's json, arithmetic and list examples produce
 * only their sentences under a random "model", checked by an independent reader; and bad
 * grammars are refused with the place named.
 */
class GbnfTest {
  static final String JSON = """
      # Any JSON value, with bounded whitespace.
      root   ::= value
      value  ::= object | array | string | number | ("true" | "false" | "null")
      object ::=
        "{" sp (
          member
          (sp "," sp member)*
        )? sp "}"
      member ::= string sp ":" sp value
      array  ::= "[" sp ( value (sp "," sp value)* )? sp "]"
      string ::= "\\"" ( [^"\\\\\\x00-\\x1F] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-cA-C] [0-9a-fA-F]{3} ) )* "\\""
      number ::= "-"? ("0" | [1-9] [0-9]{0,12}) ("." [0-9]+)? ([eE] [-+]? [0-9]{1,2})?
      sp     ::= [ \\t\\n]{0,3}
      """;

  static final String ARITHMETIC = """
      root   ::= expr
      expr   ::= term (ws [-+] ws term)*
      term   ::= factor (ws [*/] ws factor)*
      factor ::= number | "(" ws expr ws ")"
      number ::= [0-9]+
      ws     ::= " "?
      """;

  static final String LIST = """
      root ::= item+
      item ::= "- " [^\\r\\n\\x0b\\x0c\\x85\\u2028\\u2029]+ "\\n"
      """;

  private static final List<String> WORDS = List.of("- ", "\n", "(", ")", " + ", "*", "12", "0", "{\"", "\": ",
      "[", "]", "{}", "true", "null", "\"", "é", "日本", "😀", "abc", " ", ", ", "1.5", "e", "-", "\u2028", "x\n- ");

  private static String walk(Grammar g, long seed, int maxTokens) {
    return NoiseWalk.generate(g, Vocabs.table(WORDS), Vocabs.index(WORDS), new Random(seed), maxTokens);
  }

  @Test
  void the_json_grammar_produces_only_json() {
    Grammar g = Grammar.parse(JSON);
    for (int seed = 0; seed < 300; seed++) {
      String text = walk(g, seed, 1 + seed % 60);
      try {
        Json.parse(text);
      } catch (JsonException e) {
        // Json refuses repeated member names; the grammar (like JSON's) does not forbid them.
        assertTrue(e.getMessage().contains("duplicate member name"), text + " : " + e.getMessage());
      }
    }
  }

  @Test
  void the_arithmetic_grammar_produces_only_expressions() {
    Grammar g = Grammar.parse(ARITHMETIC);
    for (int seed = 0; seed < 300; seed++) {
      String text = walk(g, seed, 1 + seed % 40);
      Expression e = new Expression(text);
      e.expr();
      assertEquals(text.length(), e.pos, "whole text is one expression: " + text);
    }
  }

  @Test
  void the_list_grammar_produces_only_lists() {
    Grammar g = Grammar.parse(LIST);
    Pattern list = Pattern.compile("(- [^\\r\\n\\x0b\\x0c\\x85\\u2028\\u2029]+\\n)+");
    for (int seed = 0; seed < 300; seed++) {
      String text = walk(g, seed, 1 + seed % 30);
      assertTrue(list.matcher(text).matches(), text);
    }
  }

  @Test
  void sentences_are_accepted_and_others_refused() {
    Grammar arithmetic = Grammar.parse(ARITHMETIC);
    assertTrue(complete(arithmetic, "(1 + 2)*3"));
    assertFalse(complete(arithmetic, "(1 + 2"));
    assertFalse(complete(arithmetic, "1 ++ 2"));
    Grammar json = Grammar.parse(JSON);
    assertTrue(complete(json, "{\"a\": [1, 2.5e3, \"日本\\n\"], \"b\": null}"));
    assertFalse(complete(json, "{\"a\" 1}"));
    Grammar repeat = Grammar.parse("root ::= \"a\"{2,3} \"b\"{2} \"c\"{1,} [xy]?");
    assertTrue(complete(repeat, "aabbc"));
    assertTrue(complete(repeat, "aaabbcccy"));
    assertFalse(complete(repeat, "abbc"));
    assertFalse(complete(repeat, "aaaabbc"));
    assertFalse(complete(repeat, "aabbbc"));
    Grammar escapes = Grammar.parse("root ::= \"\\x41\\u00e9\\U0001F600\\t\" .");
    assertTrue(complete(escapes, "Aé😀\t日"));
  }

  private static boolean complete(Grammar g, String text) {
    GrammarMatcher m = new GrammarMatcher(g, Vocabs.index(List.of()));
    return m.acceptBytes(text.getBytes(StandardCharsets.UTF_8)) && m.isComplete();
  }

  @Test
  void a_syntax_error_names_line_column_and_rule() {
    GrammarException e = assertThrows(GrammarException.class,
        () -> Grammar.parse("root ::= item\nitem ::= \"a\" [b-\n"));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("rule 'item'"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= (\"a\" | \"b\""));
    assertTrue(e.getMessage().contains("line 1, column 20") && e.getMessage().contains("')'"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= \"a\"{3,1}"));
    assertTrue(e.getMessage().contains("{3,1}"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= [a]{0,999999}"));
    assertTrue(e.getMessage().contains("limit of 10000") && e.getMessage().contains("column 16") && e.getMessage().contains("999999 "), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= " + "(".repeat(5000) + "\"a\""
        + ")".repeat(5000)));
    assertTrue(e.getMessage().contains("nest more than 100"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= \"\\q\""));
    assertTrue(e.getMessage().contains("unknown escape"), e.getMessage());
  }

  @Test
  void undefined_missing_root_and_duplicate_rules_are_named() {
    GrammarException e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= thing"));
    assertTrue(e.getMessage().contains("'thing' is not defined") && e.getMessage().contains("'root'"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("start ::= \"a\""));
    assertTrue(e.getMessage().contains("no 'root' rule"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= \"a\"\nroot ::= \"b\""));
    assertTrue(e.getMessage().contains("defined twice") && e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void left_recursion_and_endless_rules_are_refused_with_the_rule_named() {
    GrammarException e = assertThrows(GrammarException.class,
        () -> Grammar.parse("root ::= expr\nexpr ::= expr \"+\" num | num\nnum ::= [0-9]"));
    assertTrue(e.getMessage().contains("'expr' is left-recursive"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= a\na ::= b? a \"x\"\nb ::= \"y\""));
    assertTrue(e.getMessage().contains("'a' is left-recursive"), e.getMessage());
    e = assertThrows(GrammarException.class, () -> Grammar.parse("root ::= \"x\" root"));
    assertTrue(e.getMessage().contains("'root' can never finish"), e.getMessage());
  }

  /** An independent reader of the arithmetic language. */
  private static final class Expression {
    final String s;
    int pos;

    Expression(String s) {
      this.s = s;
    }

    void expr() {
      term();
      while (peekOp("+-")) {
        term();
      }
    }

    void term() {
      factor();
      while (peekOp("*/")) {
        factor();
      }
    }

    boolean peekOp(String ops) {
      int p = pos;
      if (p < s.length() && s.charAt(p) == ' ') {
        p++;
      }
      if (p < s.length() && ops.indexOf(s.charAt(p)) >= 0) {
        pos = p + 1;
        if (pos < s.length() && s.charAt(pos) == ' ') {
          pos++;
        }
        return true;
      }
      return false;
    }

    void factor() {
      if (pos < s.length() && s.charAt(pos) == '(') {
        pos++;
        if (s.charAt(pos) == ' ') {
          pos++;
        }
        expr();
        if (s.charAt(pos) == ' ') {
          pos++;
        }
        if (s.charAt(pos) != ')') {
          throw new AssertionError("expected ) at " + pos + " in " + s);
        }
        pos++;
        return;
      }
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw new AssertionError("expected a number at " + pos + " in " + s);
      }
    }
  }
}

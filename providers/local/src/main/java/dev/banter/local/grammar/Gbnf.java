package dev.banter.local.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader of GBNF, llama.cpp's grammar text: {@code name ::= alternatives}, where a rule runs
 * until the next {@code name ::=} (so alternatives may continue on following lines), {@code #}
 * starts a comment, and items are {@code "literal"}, {@code [class]}, {@code [^negated]},
 * {@code .} (any character), rule names, {@code ( groups )}, each optionally followed by
 * {@code * + ? {m} {m,} {m,n}}. Escapes: {@code \x41 \u00e9 \U0001F600 \n \r \t \\ \" \[ \] \- \^}.
 */
final class Gbnf {
  /** The largest count in {m,n}: each optional repeat becomes a rule. */
  static final int MAX_REPEAT = 10_000;
  /** The deepest nesting of ( groups ): the reader and the compiler recurse on them. */
  static final int MAX_GROUP_DEPTH = 100;

  private final String text;
  private int pos;
  private String rule = "";
  private int groups;

  private Gbnf(String text) {
    this.text = text;
  }

  static void parse(String text, Grammar.Builder into) {
    Gbnf p = new Gbnf(text);
    p.skipSpace();
    if (p.pos >= text.length()) {
      throw p.error("the grammar is empty; write at least root ::= ...");
    }
    while (p.pos < text.length()) {
      int start = p.pos;
      String name = p.name();
      if (name.isEmpty()) {
        throw p.error("expected a rule name at the start of a rule, found " + p.describe());
      }
      p.rule = name;
      p.skipSpace();
      if (!text.startsWith("::=", p.pos)) {
        throw p.error("expected '::=' after the rule name '" + name + "', found " + p.describe());
      }
      if (into.hasRule(name)) {
        p.pos = start;
        throw p.error("rule '" + name + "' is defined twice; join its alternatives with '|'");
      }
      p.pos += 3;
      Expr body = p.alternatives(false);
      into.rule(name, body);
      p.skipSpace();
    }
  }

  private Expr alternatives(boolean nested) {
    List<Expr> choices = new ArrayList<>();
    choices.add(sequence(nested));
    while (pos < text.length() && text.charAt(pos) == '|') {
      pos++;
      choices.add(sequence(nested));
    }
    return choices.size() == 1 ? choices.get(0) : new Expr.Alt(choices);
  }

  private Expr sequence(boolean nested) {
    List<Expr> items = new ArrayList<>();
    while (true) {
      skipSpace();
      if (pos >= text.length()) {
        break;
      }
      char c = text.charAt(pos);
      if (c == '|' || c == ')' || (!nested && startsRule())) {
        break;
      }
      Expr item = item();
      items.add(postfix(item));
    }
    return items.size() == 1 ? items.get(0) : new Expr.Seq(items);
  }

  private Expr item() {
    char c = text.charAt(pos);
    if (c == '"') {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= text.length() || text.charAt(pos) == '\n') {
          throw error("unterminated string literal; close it with '\"'");
        }
        if (text.charAt(pos) == '"') {
          pos++;
          break;
        }
        sb.appendCodePoint(character());
      }
      return new Expr.Literal(sb.toString());
    }
    if (c == '[') {
      pos++;
      boolean negated = pos < text.length() && text.charAt(pos) == '^';
      if (negated) {
        pos++;
      }
      List<Integer> ranges = new ArrayList<>();
      while (true) {
        if (pos >= text.length() || text.charAt(pos) == '\n') {
          throw error("unterminated character class; close it with ']'");
        }
        if (text.charAt(pos) == ']') {
          pos++;
          break;
        }
        int lo = character();
        int hi = lo;
        if (pos + 1 < text.length() && text.charAt(pos) == '-' && text.charAt(pos + 1) != ']' && text.charAt(pos + 1) != '\n') {
          pos++;
          hi = character();
          if (hi < lo) {
            throw error("character range is reversed: " + new String(Character.toChars(lo)) + "-"
                + new String(Character.toChars(hi)));
          }
        }
        ranges.add(lo);
        ranges.add(hi);
      }
      int[] r = new int[ranges.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = ranges.get(i);
      }
      if (r.length == 0 && !negated) {
        throw error("empty character class [] matches nothing");
      }
      return new Expr.CharClass(r, negated);
    }
    if (c == '(') {
      if (++groups > MAX_GROUP_DEPTH) {
        throw error("groups nest more than " + MAX_GROUP_DEPTH + " deep; name some of them as rules");
      }
      pos++;
      Expr inner = alternatives(true);
      groups--;
      skipSpace();
      if (pos >= text.length() || text.charAt(pos) != ')') {
        throw error("expected ')' to close the group, found " + describe());
      }
      pos++;
      return inner;
    }
    if (c == '.') {
      pos++;
      return new Expr.CharClass(new int[0], true);
    }
    String name = name();
    if (name.isEmpty()) {
      throw error("unexpected " + describe() + "; expected a string, a [class], a rule name or '('");
    }
    return new Expr.Ref(name);
  }

  private Expr postfix(Expr item) {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '*') {
        item = new Expr.Repeat(item, 0, -1);
      } else if (c == '+') {
        item = new Expr.Repeat(item, 1, -1);
      } else if (c == '?') {
        item = new Expr.Repeat(item, 0, 1);
      } else if (c == '{') {
        pos++;
        skipBlanks();
        int min = number();
        int max = min;
        skipBlanks();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          skipBlanks();
          max = pos < text.length() && Character.isDigit(text.charAt(pos)) ? number() : -1;
          skipBlanks();
        }
        if (pos >= text.length() || text.charAt(pos) != '}') {
          throw error("expected '}' to close the repetition, found " + describe());
        }
        if (max >= 0 && max < min) {
          throw error("repetition {" + min + "," + max + "} has its maximum below its minimum");
        }
        item = new Expr.Repeat(item, min, max);
      } else {
        break;
      }
      pos++;
    }
    return item;
  }

  private int number() {
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a repetition count, found " + describe());
    }
    if (pos - start > 5 || Integer.parseInt(text.substring(start, pos)) > MAX_REPEAT) {
      pos = start;
      int end = start;
      while (end < text.length() && Character.isDigit(text.charAt(end))) {
        end++;
      }
      throw error("repetition count " + text.substring(start, end) + " is above the limit of " + MAX_REPEAT
          + "; use * or + for longer runs");
    }
    return Integer.parseInt(text.substring(start, pos));
  }

  /** One character of a literal or class, escapes resolved, as a code point. */
  private int character() {
    int c = text.codePointAt(pos);
    if (c != '\\') {
      pos += Character.charCount(c);
      return c;
    }
    if (pos + 1 >= text.length()) {
      throw error("escape '\\' at the end of the text");
    }
    char e = text.charAt(pos + 1);
    pos += 2;
    return switch (e) {
      case 'x' -> hex(2);
      case 'u' -> hex(4);
      case 'U' -> hex(8);
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case '\\', '"', '[', ']', '-', '^', '/', '\'' -> e;
      default -> {
        pos -= 2;
        throw error("unknown escape '\\" + e + "'");
      }
    };
  }

  private int hex(int digits) {
    int v = 0;
    for (int i = 0; i < digits; i++) {
      int d = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
      if (d < 0) {
        throw error("expected " + digits + " hex digits in the escape, found " + describe());
      }
      v = v * 16 + d;
      pos++;
    }
    if (v > 0x10FFFF) {
      throw error("escape names U+" + Integer.toHexString(v).toUpperCase() + ", beyond Unicode");
    }
    return v;
  }

  private String name() {
    int start = pos;
    while (pos < text.length() && isNameChar(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /** Whether a new rule ({@code name ::=}) starts here. */
  private boolean startsRule() {
    int p = pos;
    while (p < text.length() && isNameChar(text.charAt(p))) {
      p++;
    }
    if (p == pos) {
      return false;
    }
    while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
      p++;
    }
    return text.startsWith("::=", p);
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        pos++;
      } else {
        break;
      }
    }
  }

  private void skipBlanks() {
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private String describe() {
    if (pos >= text.length()) {
      return "the end of the text";
    }
    int c = text.codePointAt(pos);
    return c == '\n' ? "a line break" : "'" + new String(Character.toChars(c)) + "'";
  }

  private GrammarException error(String message) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new GrammarException("GBNF line " + line + ", column " + col + (rule.isEmpty() ? "" : " (rule '" + rule + "')")
        + ": " + message);
  }
}

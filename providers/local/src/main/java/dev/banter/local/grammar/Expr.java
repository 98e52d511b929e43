package dev.banter.local.grammar;

import java.util.List;
import java.util.Objects;

/**
 * A piece of a grammar before compilation: literal text, a control token, a character class, a reference to a
 * named rule, a sequence, alternatives or a bounded or unbounded repetition. Immutable values;
 * {@link Grammar.Builder} turns named expressions into a {@link Grammar}.
 *
 * <pre>{@code
 * Grammar.Builder b = Grammar.builder();
 * Expr call = b.jsonSchema("weather", schemaMap);
 * Grammar g = b.build(Expr.seq(Expr.literal("<tool_call>\n"), call, Expr.literal("\n</tool_call>")));
 * }</pre>
 */
public sealed interface Expr {
  /** Exact text, matched as its UTF-8 bytes. */
  record Literal(String text) implements Expr {
    public Literal {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * One control token of the vocabulary, by id ({@code [TOOL_CALLS]}, {@code <|tool_call|>}): only
   * that token matches it, never its text spelled out, and no text elsewhere matches the token.
   */
  record Token(int id) implements Expr {
    public Token {
      if (id < 0) {
        throw new IllegalArgumentException("token id must be >= 0, got " + id);
      }
    }
  }

  /**
   * One code point in (or, when {@code negated}, outside) the inclusive ranges
   * {@code ranges[0]..ranges[1]}, {@code ranges[2]..ranges[3]} ...
   */
  record CharClass(int[] ranges, boolean negated) implements Expr {
    public CharClass {
      if (ranges.length % 2 != 0) {
        throw new IllegalArgumentException("ranges come in pairs, got " + ranges.length + " values");
      }
      ranges = ranges.clone();
    }
  }

  /** A reference to the rule named {@code name}. */
  record Ref(String name) implements Expr {
    public Ref {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Each part in turn. */
  record Seq(List<Expr> parts) implements Expr {
    public Seq {
      parts = List.copyOf(parts);
    }
  }

  /** Any one of the choices. */
  record Alt(List<Expr> choices) implements Expr {
    public Alt {
      choices = List.copyOf(choices);
      if (choices.isEmpty()) {
        throw new IllegalArgumentException("an alternative needs at least one choice");
      }
    }
  }

  /** {@code body} repeated {@code min} to {@code max} times; {@code max < 0} means no limit. */
  record Repeat(Expr body, int min, int max) implements Expr {
    public Repeat {
      Objects.requireNonNull(body, "body");
      if (min < 0 || (max >= 0 && max < min)) {
        throw new IllegalArgumentException("repetition bounds {" + min + "," + max + "} are out of order");
      }
    }
  }

  static Expr literal(String text) {
    return new Literal(text);
  }

  static Expr ref(String name) {
    return new Ref(name);
  }

  static Expr seq(Expr... parts) {
    return parts.length == 1 ? parts[0] : new Seq(List.of(parts));
  }

  static Expr alt(Expr... choices) {
    return choices.length == 1 ? choices[0] : new Alt(List.of(choices));
  }

  static Expr optional(Expr body) {
    return new Repeat(body, 0, 1);
  }

  static Expr repeat(Expr body, int min, int max) {
    return new Repeat(body, min, max);
  }

  /** One code point in {@code from..to} (inclusive). */
  static Expr range(int from, int to) {
    return new CharClass(new int[] {from, to}, false);
  }

  /** The empty sequence. */
  static Expr empty() {
    return new Seq(List.of());
  }
}

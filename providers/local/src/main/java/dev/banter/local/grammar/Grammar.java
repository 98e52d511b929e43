package dev.banter.local.grammar;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled context-free grammar over UTF-8 bytes, ready for a {@link GrammarMatcher}: from
 * llama.cpp's GBNF text, from a JSON Schema, or composed from {@link Expr}s. Immutable and
 * thread-safe; share one per request shape.
 *
 * <pre>{@code
 * Grammar g = Grammar.parse("root ::= \"yes\" | \"no\"");
 * Grammar j = Grammar.fromJsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}");
 * GrammarMatcher m = new GrammarMatcher(j, TokenIndex.of(tokenizer));
 * }</pre>
 *
 * <p>Character classes and literals are compiled to byte sequences (a class such as
 * {@code [^"\\]} becomes its UTF-8 encodings), so matching is byte by byte and a token may end in
 * the middle of a character. Left recursion and rules that can never finish are rejected.
 *
 * <p>Compiled layout: positions {@code 0 .. symbols.length) hold one symbol each; every
 * alternative of every rule is a run of positions closed by {@link #END}. A symbol {@code >= 0}
 * is a byte set (index into {@link #sets}, four longs each), a negative one other than
 * {@code END} is the reference {@code -(rule + 1)}.
 */
public final class Grammar {
  static final int END = Integer.MIN_VALUE;

  final String[] ruleNames;
  final int[] symbols;
  /** Per rule, the first position of each alternative. */
  final int[][] alternatives;
  /** 256-bit byte sets, four longs per set. */
  final long[] sets;
  final int root;
  /** Per position, the fewest bytes that finish its alternative from there. */
  final int[] restMin;
  /** Per rule, the alternative (its first position) that finishes in the fewest bytes. */
  final int[] shortest;
  /** Whether the whole text is one JSON document, so matchers also keep member names apart. */
  final boolean json;

  Grammar(String[] ruleNames, int[] symbols, int[][] alternatives, long[] sets, int root, int[] restMin,
      int[] shortest, boolean json) {
    this.ruleNames = ruleNames;
    this.symbols = symbols;
    this.alternatives = alternatives;
    this.sets = sets;
    this.root = root;
    this.restMin = restMin;
    this.shortest = shortest;
    this.json = json;
  }

  /**
   * The grammar of GBNF text (llama.cpp's format: {@code root ::= ...}, {@code #} comments,
   * {@code [a-z]} / {@code [^"\\]} classes, {@code \x41 \u00e9 \U0001F600 \n \t} escapes, groups,
   * {@code * + ? {m} {m,} {m,n}}). The start rule is {@code root}.
   *
   * @throws GrammarException naming the line, column and rule of the first problem
   */
  public static Grammar parse(String gbnf) {
    Objects.requireNonNull(gbnf, "gbnf");
    Builder b = new Builder();
    Gbnf.parse(gbnf, b);
    if (!b.rules.containsKey("root")) {
      throw new GrammarException("the grammar has no 'root' rule; add one such as root ::= ...");
    }
    return b.build(new Expr.Ref("root"));
  }

  /**
   * The grammar of JSON text valid against {@code schema} (a JSON Schema as text).
   *
   * @throws GrammarException naming the schema location ({@code #/properties/age/minimum}) at fault
   */
  public static Grammar fromJsonSchema(String schema) {
    Objects.requireNonNull(schema, "schema");
    Object parsed;
    try {
      parsed = dev.banter.template.Json.parse(schema);
    } catch (RuntimeException e) {
      throw new GrammarException("the JSON schema is not valid JSON: " + e.getMessage());
    }
    Builder b = new Builder();
    b.json = true;
    return b.build(b.jsonSchema("", parsed));
  }

  /** The grammar of any JSON object (OpenAI's {@code json_object} mode). */
  public static Grammar jsonObject() {
    Builder b = new Builder();
    b.json = true;
    return b.build(b.jsonSchema("", Map.of("type", "object")));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Number of rules, generated ones included. */
  public int ruleCount() {
    return ruleNames.length;
  }

  boolean inSet(int set, int b) {
    return (sets[set * 4 + (b >>> 6)] >>> (b & 63) & 1L) != 0;
  }

  @Override
  public String toString() {
    return "Grammar[" + ruleNames.length + " rules, " + symbols.length + " positions]";
  }

  /**
   * Collects named rules, then compiles them with a start expression. Not thread-safe.
   *
   * <pre>{@code
   * Grammar.Builder b = Grammar.builder();
   * b.rule("answer", Expr.alt(Expr.literal("yes"), Expr.literal("no")));
   * Grammar g = b.build(Expr.seq(Expr.literal("Answer: "), Expr.ref("answer")));
   * }</pre>
   */
  public static final class Builder {
    final Map<String, Expr> rules = new LinkedHashMap<>();
    private int schemas;
    /** Set by the JSON factories: the text is one JSON document. */
    boolean json;

    Builder() {}

    /**
     * Adds (or replaces) the rule {@code name}.
     *
     * @return a reference to it
     */
    public Expr rule(String name, Expr body) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(body, "body");
      rules.put(name, body);
      return new Expr.Ref(name);
    }

    public boolean hasRule(String name) {
      return rules.containsKey(name);
    }

    /**
     * Adds the rules of JSON values valid against {@code schema} (as {@link
     * dev.banter.template.Json#parse} gives it: maps, lists, numbers, strings, booleans) under a
     * prefix of {@code name}, and returns a reference to the value rule.
     *
     * @throws GrammarException naming the schema location at fault
     */
    public Expr jsonSchema(String name, Object schema) {
      String prefix = (name.isEmpty() ? "" : name.replaceAll("[^A-Za-z0-9-]", "-") + "-") + (schemas++ == 0 ? "" : schemas + "-");
      return new JsonSchemaGrammar(this, prefix).root(schema);
    }

    /**
     * Compiles the rules with {@code start} as the whole text.
     *
     * @throws GrammarException for an undefined rule, left recursion or a rule that can never finish
     */
    public Grammar build(Expr start) {
      return new Compiler(rules).compile(start, json);
    }
  }
}

package dev.banter.local.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules for JSON text valid against a JSON Schema: objects with their properties in the schema's
 * order (required ones first), arrays, strings with length bounds, enum and const, integers with
 * exact bounds, numbers with bounds (the integer part bounded exactly, a fraction only where it
 * cannot cross a bound), booleans, null, anyOf / oneOf (as alternatives), {@code $ref} into
 * {@code #/$defs} or {@code #/definitions}, type arrays, and {@code {}} or {@code true} for any
 * value. Whitespace between tokens is optional and bounded (a space, or a line break and up to 20
 * spaces or tabs), so a model cannot stall in it. Keywords that would constrain values in ways
 * the grammar cannot express ({@code pattern}, {@code allOf} ...) are rejected, naming the
 * schema location.
 *
 * <p>Choices made where the grammar gives a subset of the valid documents: an object with declared
 * properties takes extra members only when {@code additionalProperties} says so (true or a
 * schema), and their names are longer than every declared one, so they never repeat one; an
 * object without declared properties takes any members. {@code oneOf} is {@code anyOf} (the
 * grammar cannot exclude a value matching two options). Numbers have at most 16 integer and 16
 * fraction digits and no exponent. A context-free grammar cannot keep the member names of a
 * free-form object apart; {@link GrammarMatcher} does, for grammars made by
 * {@link Grammar#fromJsonSchema} and {@link Grammar#jsonObject} (see {@link JsonNames}).
 */
final class JsonSchemaGrammar {
  private static final long MAX_INT = 9_999_999_999_999_999L;
  private static final Set<String> UNSUPPORTED = Set.of("pattern", "patternProperties", "not", "if", "then", "else",
      "uniqueItems", "multipleOf", "prefixItems", "contains", "minContains", "maxContains", "dependentRequired",
      "dependentSchemas", "propertyNames", "minProperties", "maxProperties", "unevaluatedProperties",
      "unevaluatedItems");

  private final Grammar.Builder b;
  private final String prefix;
  private final Map<String, String> refs = new HashMap<>();
  private Object root;
  private int counter;

  JsonSchemaGrammar(Grammar.Builder b, String prefix) {
    this.b = b;
    this.prefix = prefix;
  }

  Expr root(Object schema) {
    root = schema;
    return b.rule(prefix + "root", value(schema, "#"));
  }

  // ---- shared rules

  private Expr ws() {
    if (!b.hasRule("ws")) {
      b.rule("ws", Expr.optional(Expr.alt(Expr.literal(" "),
          Expr.seq(Expr.literal("\n"), Expr.repeat(new Expr.CharClass(new int[] {' ', ' ', '\t', '\t'}, false), 0, 20)))));
    }
    return Expr.ref("ws");
  }

  private Expr comma() {
    return Expr.seq(ws(), Expr.literal(","), ws());
  }

  private Expr stringChar() {
    if (!b.hasRule("json-char")) {
      Expr hex = hex();
      // \\u escapes stop short of the surrogates, which a JSON reader may refuse unpaired.
      Expr u = Expr.seq(Expr.literal("u"), Expr.alt(
          Expr.seq(new Expr.CharClass(new int[] {'0', '9', 'a', 'c', 'A', 'C'}, false), hex, hex, hex),
          Expr.seq(new Expr.CharClass(new int[] {'d', 'd', 'D', 'D'}, false),
              new Expr.CharClass(new int[] {'0', '7'}, false), hex, hex),
          Expr.seq(new Expr.CharClass(new int[] {'e', 'f', 'E', 'F'}, false), hex, hex, hex)));
      b.rule("json-char", Expr.alt(new Expr.CharClass(new int[] {'"', '"', '\\', '\\', 0, 0x1F}, true),
          Expr.seq(Expr.literal("\\"), Expr.alt(new Expr.CharClass(new int[] {'"', '"', '\\', '\\', '/', '/', 'b', 'b',
              'f', 'f', 'n', 'n', 'r', 'r', 't', 't'}, false), u))));
    }
    return Expr.ref("json-char");
  }

  private static Expr hex() {
    return new Expr.CharClass(new int[] {'0', '9', 'a', 'f', 'A', 'F'}, false);
  }

  private static Expr digit() {
    return Expr.range('0', '9');
  }

  private Expr string(int min, int max) {
    return Expr.seq(Expr.literal("\""), Expr.repeat(stringChar(), min, max), Expr.literal("\""));
  }

  private Expr anyString() {
    if (!b.hasRule("json-string")) {
      b.rule("json-string", string(0, -1));
    }
    return Expr.ref("json-string");
  }

  private Expr anyNumber() {
    if (!b.hasRule("json-number")) {
      b.rule("json-number", Expr.seq(integerDigits(), Expr.optional(Expr.seq(Expr.literal("."),
          Expr.repeat(digit(), 1, 16)))));
    }
    return Expr.ref("json-number");
  }

  private Expr integerDigits() {
    if (!b.hasRule("json-integer")) {
      b.rule("json-integer", Expr.seq(Expr.optional(Expr.literal("-")), Expr.alt(Expr.literal("0"),
          Expr.seq(Expr.range('1', '9'), Expr.repeat(digit(), 0, 15)))));
    }
    return Expr.ref("json-integer");
  }

  private Expr anyValue() {
    if (!b.hasRule("json-value")) {
      b.rule("json-value", Expr.empty());
      Expr value = Expr.ref("json-value");
      // Keys are never empty: a forced completion then cannot repeat an empty key written earlier.
      Expr member = Expr.seq(string(1, -1), ws(), Expr.literal(":"), ws(), value);
      Expr object = Expr.seq(Expr.literal("{"), ws(),
          Expr.optional(Expr.seq(member, Expr.repeat(Expr.seq(comma(), member), 0, -1))), ws(), Expr.literal("}"));
      Expr array = Expr.seq(Expr.literal("["), ws(),
          Expr.optional(Expr.seq(value, Expr.repeat(Expr.seq(comma(), value), 0, -1))), ws(), Expr.literal("]"));
      b.rule("json-object", object);
      b.rule("json-array", array);
      b.rule("json-value", Expr.alt(Expr.ref("json-object"), Expr.ref("json-array"), anyString(), anyNumber(),
          Expr.literal("true"), Expr.literal("false"), Expr.literal("null")));
    }
    return Expr.ref("json-value");
  }

  // ---- schemas

  private GrammarException error(String path, String message) {
    return new GrammarException("JSON schema at " + path + ": " + message);
  }

  private Expr value(Object schema, String path) {
    if (Boolean.TRUE.equals(schema)) {
      return anyValue();
    }
    if (Boolean.FALSE.equals(schema)) {
      throw error(path, "is false, so no value would be valid");
    }
    if (!(schema instanceof Map<?, ?> s)) {
      throw error(path, "expected a schema object or a boolean, got " + describe(schema));
    }
    for (Object k : s.keySet()) {
      if (UNSUPPORTED.contains(k)) {
        throw error(path + "/" + k, "'" + k + "' is not supported for constrained decoding; remove it or describe "
            + "the constraint in the prompt");
      }
    }
    if (s.containsKey("$ref")) {
      return ref(s.get("$ref"), path + "/$ref");
    }
    if (s.containsKey("const")) {
      return Expr.literal(JsonText.write(s.get("const")));
    }
    if (s.containsKey("enum")) {
      if (!(s.get("enum") instanceof List<?> values) || values.isEmpty()) {
        throw error(path + "/enum", "must be a non-empty array");
      }
      List<Expr> choices = new ArrayList<>();
      for (Object v : values) {
        choices.add(Expr.literal(JsonText.write(v)));
      }
      return choices.size() == 1 ? choices.get(0) : new Expr.Alt(choices);
    }
    for (String key : new String[] {"anyOf", "oneOf"}) {
      if (s.containsKey(key)) {
        if (!(s.get(key) instanceof List<?> options) || options.isEmpty()) {
          throw error(path + "/" + key, "must be a non-empty array of schemas");
        }
        List<Expr> choices = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
          choices.add(value(options.get(i), path + "/" + key + "/" + i));
        }
        return choices.size() == 1 ? choices.get(0) : new Expr.Alt(choices);
      }
    }
    if (s.containsKey("allOf")) {
      if (s.get("allOf") instanceof List<?> parts && parts.size() == 1) {
        return value(parts.get(0), path + "/allOf/0");
      }
      throw error(path + "/allOf", "'allOf' with more than one schema is not supported; merge the schemas");
    }
    Object type = s.get("type");
    if (type instanceof List<?> types) {
      if (types.isEmpty()) {
        throw error(path + "/type", "is an empty array, so no value would be valid");
      }
      List<Expr> choices = new ArrayList<>();
      for (int i = 0; i < types.size(); i++) {
        choices.add(typed(s, types.get(i), path + "/type/" + i, path));
      }
      return choices.size() == 1 ? choices.get(0) : new Expr.Alt(choices);
    }
    if (type == null) {
      if (s.containsKey("properties") || s.containsKey("required") || s.containsKey("additionalProperties")) {
        type = "object";
      } else if (s.containsKey("items") || s.containsKey("minItems") || s.containsKey("maxItems")) {
        type = "array";
      } else if (s.containsKey("minLength") || s.containsKey("maxLength") || s.containsKey("format")) {
        type = "string";
      } else if (s.containsKey("minimum") || s.containsKey("maximum")) {
        type = "number";
      } else {
        return anyValue();
      }
    }
    return typed(s, type, path + "/type", path);
  }

  private Expr typed(Map<?, ?> s, Object type, String typePath, String path) {
    if (!(type instanceof String t)) {
      throw error(typePath, "expected a type name, got " + describe(type));
    }
    return switch (t) {
      case "object" -> object(s, path);
      case "array" -> array(s, path);
      case "string" -> stringSchema(s, path);
      case "integer" -> integer(s, path);
      case "number" -> number(s, path);
      case "boolean" -> Expr.alt(Expr.literal("true"), Expr.literal("false"));
      case "null" -> Expr.literal("null");
      default -> throw error(typePath, "unknown type '" + t + "'; expected object, array, string, integer, number, "
          + "boolean or null");
    };
  }

  private Expr ref(Object target, String path) {
    if (!(target instanceof String r)) {
      throw error(path, "expected a string, got " + describe(target));
    }
    String known = refs.get(r);
    if (known != null) {
      return Expr.ref(known);
    }
    Object schema;
    if (r.equals("#")) {
      schema = root;
    } else if (r.startsWith("#/$defs/") || r.startsWith("#/definitions/")) {
      String container = r.startsWith("#/$defs/") ? "$defs" : "definitions";
      String name = r.substring(container.length() + 3).replace("~1", "/").replace("~0", "~");
      Object defs = root instanceof Map<?, ?> m ? m.get(container) : null;
      schema = defs instanceof Map<?, ?> d ? d.get(name) : null;
      if (schema == null) {
        throw error(path, "'" + r + "' points to nothing; define it under " + container);
      }
    } else {
      throw error(path, "'" + r + "' is not supported; only local references #/$defs/... and #/definitions/... are");
    }
    String rule = prefix + "ref-" + r.substring(1).replaceAll("[^A-Za-z0-9-]", "-") + "-" + refs.size();
    refs.put(r, rule);
    b.rule(rule, Expr.empty());
    b.rule(rule, value(schema, r));
    return Expr.ref(rule);
  }

  private Expr object(Map<?, ?> s, String path) {
    Object propsValue = s.containsKey("properties") ? s.get("properties") : Map.of();
    if (!(propsValue instanceof Map<?, ?> props)) {
      throw error(path + "/properties", "expected an object of schemas, got " + describe(propsValue));
    }
    Object requiredValue = s.containsKey("required") ? s.get("required") : List.of();
    if (!(requiredValue instanceof List<?> required)) {
      throw error(path + "/required", "expected an array of property names, got " + describe(requiredValue));
    }
    for (Object r : required) {
      if (!(r instanceof String)) {
        throw error(path + "/required", "expected property names, got " + describe(r));
      }
    }
    List<String> req = new ArrayList<>();
    List<String> opt = new ArrayList<>();
    for (Object k : props.keySet()) {
      (required.contains(k) ? req : opt).add((String) k);
    }
    for (Object r : required) {
      if (!props.containsKey(r) && !req.contains(r)) {
        req.add((String) r);
      }
    }
    Object additional = s.get("additionalProperties");
    Expr extra = null;
    if (additional == null && !s.containsKey("properties")) {
      additional = Boolean.TRUE;
    }
    if (additional != null && !Boolean.FALSE.equals(additional)) {
      // Extra keys are longer than every declared one, so they never repeat a declared key.
      int longest = -1;
      for (Object k : props.keySet()) {
        longest = Math.max(longest, ((String) k).codePointCount(0, ((String) k).length()));
      }
      for (String r : req) {
        longest = Math.max(longest, r.codePointCount(0, r.length()));
      }
      Expr key = string(Math.max(1, longest + 1), -1);
      extra = Expr.seq(key, ws(), Expr.literal(":"), ws(), value(additional, path + "/additionalProperties"));
    }
    String name = prefix + "obj" + (++counter);
    List<Expr> kvOpt = new ArrayList<>();
    for (String k : opt) {
      kvOpt.add(member(k, props.get(k), path + "/properties/" + k));
    }
    // more-i: the optional members from i on, each after a comma; first-i: the same when nothing
    // precedes them, so the first one present goes without a comma.
    int k = opt.size();
    b.rule(name + "-more" + k, extra == null ? Expr.empty() : Expr.repeat(Expr.seq(comma(), extra), 0, -1));
    b.rule(name + "-first" + k, extra == null ? Expr.empty()
        : Expr.optional(Expr.seq(extra, Expr.repeat(Expr.seq(comma(), extra), 0, -1))));
    for (int i = k - 1; i >= 0; i--) {
      b.rule(name + "-more" + i, Expr.seq(Expr.optional(Expr.seq(comma(), kvOpt.get(i))), Expr.ref(name + "-more" + (i + 1))));
      b.rule(name + "-first" + i, Expr.alt(Expr.seq(kvOpt.get(i), Expr.ref(name + "-more" + (i + 1))),
          Expr.ref(name + "-first" + (i + 1))));
    }
    List<Expr> body = new ArrayList<>();
    if (req.isEmpty()) {
      body.add(Expr.ref(name + "-first0"));
    } else {
      for (int i = 0; i < req.size(); i++) {
        if (i > 0) {
          body.add(comma());
        }
        String r = req.get(i);
        body.add(member(r, props.containsKey(r) ? props.get(r) : Boolean.TRUE, path + "/properties/" + r));
      }
      body.add(Expr.ref(name + "-more0"));
    }
    return b.rule(name, Expr.seq(Expr.literal("{"), ws(), new Expr.Seq(body), ws(), Expr.literal("}")));
  }

  private Expr member(String key, Object schema, String path) {
    return Expr.seq(Expr.literal(JsonText.write(key)), ws(), Expr.literal(":"), ws(), value(schema, path));
  }

  private Expr array(Map<?, ?> s, String path) {
    Object items = s.containsKey("items") ? s.get("items") : Boolean.TRUE;
    if (items instanceof List<?>) {
      throw error(path + "/items", "tuple form (an array of schemas) is not supported; use one schema");
    }
    int min = count(s, "minItems", path, 0);
    int max = count(s, "maxItems", path, -1);
    if (max >= 0 && max < min) {
      throw error(path + "/maxItems", "is " + max + ", below minItems " + min);
    }
    if (max == 0) {
      return Expr.seq(Expr.literal("["), ws(), Expr.literal("]"));
    }
    Expr item = b.rule(prefix + "item" + (++counter), value(items, path + "/items"));
    Expr list = Expr.seq(item, Expr.repeat(Expr.seq(comma(), item), Math.max(0, min - 1), max < 0 ? -1 : max - 1));
    return Expr.seq(Expr.literal("["), ws(), min == 0 ? Expr.optional(list) : list, ws(), Expr.literal("]"));
  }

  private Expr stringSchema(Map<?, ?> s, String path) {
    Object format = s.get("format");
    if (format instanceof String f) {
      Expr d = digit();
      Expr date = Expr.seq(d, d, d, d, Expr.literal("-"), Expr.alt(Expr.seq(Expr.literal("0"), Expr.range('1', '9')),
          Expr.seq(Expr.literal("1"), Expr.range('0', '2'))), Expr.literal("-"),
          Expr.alt(Expr.seq(Expr.literal("0"), Expr.range('1', '9')), Expr.seq(Expr.range('1', '2'), d),
              Expr.seq(Expr.literal("3"), Expr.range('0', '1'))));
      Expr time = Expr.seq(Expr.alt(Expr.seq(Expr.range('0', '1'), d), Expr.seq(Expr.literal("2"), Expr.range('0', '3'))),
          Expr.literal(":"), Expr.range('0', '5'), d, Expr.literal(":"), Expr.range('0', '5'), d,
          Expr.optional(Expr.seq(Expr.literal("."), Expr.repeat(d, 1, 3))), Expr.literal("Z"));
      Expr h = hex();
      Expr fixed = switch (f) {
        case "date" -> date;
        case "time" -> time;
        case "date-time" -> Expr.seq(date, Expr.literal("T"), time);
        case "uuid" -> Expr.seq(Expr.repeat(h, 8, 8), Expr.literal("-"), Expr.repeat(h, 4, 4), Expr.literal("-"),
            Expr.repeat(h, 4, 4), Expr.literal("-"), Expr.repeat(h, 4, 4), Expr.literal("-"), Expr.repeat(h, 12, 12));
        default -> null;
      };
      if (fixed != null) {
        return Expr.seq(Expr.literal("\""), fixed, Expr.literal("\""));
      }
    }
    int min = count(s, "minLength", path, 0);
    int max = count(s, "maxLength", path, -1);
    if (max >= 0 && max < min) {
      throw error(path + "/maxLength", "is " + max + ", below minLength " + min);
    }
    return min == 0 && max < 0 ? anyString() : string(min, max);
  }

  private int count(Map<?, ?> s, String key, String path, int absent) {
    Object v = s.get(key);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof Long n) || n < 0) {
      throw error(path + "/" + key, "expected a non-negative integer, got " + describe(v));
    }
    if (n > 10_000) {
      throw error(path + "/" + key, "is " + n + "; at most 10000 is supported");
    }
    return (int) (long) n;
  }

  /** The bounds as [low, high] integers a value may take, each within ±MAX_INT. */
  private long[] bounds(Map<?, ?> s, String path, boolean integer) {
    double lo = -MAX_INT;
    double hi = MAX_INT;
    boolean loStrict = false;
    boolean hiStrict = false;
    for (String key : new String[] {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}) {
      Object v = s.get(key);
      if (v == null || v instanceof Boolean) {
        continue;
      }
      if (!(v instanceof Number n)) {
        throw error(path + "/" + key, "expected a number, got " + describe(v));
      }
      double d = n.doubleValue();
      boolean strict = key.startsWith("exclusive") || Boolean.TRUE.equals(s.get(key.equals("minimum")
          ? "exclusiveMinimum" : key.equals("maximum") ? "exclusiveMaximum" : ""));
      if (key.endsWith("inimum") && d >= lo) {
        lo = d;
        loStrict = strict;
      } else if (key.endsWith("aximum") && d <= hi) {
        hi = d;
        hiStrict = strict;
      }
    }
    long l = (long) Math.max(-MAX_INT, Math.min(MAX_INT, loStrict ? Math.floor(lo) + 1 : Math.ceil(lo)));
    long h = (long) Math.max(-MAX_INT, Math.min(MAX_INT, hiStrict ? Math.ceil(hi) - 1 : Math.floor(hi)));
    if (l > h) {
      throw error(path, "no " + (integer ? "integer" : "number with an integer part") + " lies between the minimum "
          + "and maximum");
    }
    return new long[] {l, h};
  }

  private boolean bounded(Map<?, ?> s) {
    return s.containsKey("minimum") || s.containsKey("maximum") || s.containsKey("exclusiveMinimum")
        || s.containsKey("exclusiveMaximum");
  }

  private Expr integer(Map<?, ?> s, String path) {
    if (!bounded(s)) {
      return integerDigits();
    }
    long[] r = bounds(s, path, true);
    return intRange(r[0], r[1]);
  }

  private Expr number(Map<?, ?> s, String path) {
    if (!bounded(s)) {
      return anyNumber();
    }
    long[] r = bounds(s, path, false);
    long lo = r[0];
    long hi = r[1];
    Expr fraction = Expr.seq(Expr.literal("."), Expr.repeat(digit(), 1, 8));
    List<Expr> choices = new ArrayList<>();
    choices.add(intRange(lo, hi));
    // m.f lies in [m, m + 1): its integer part m must leave room below hi.
    if (Math.max(0, lo) <= hi - 1) {
      choices.add(Expr.seq(natural(Math.max(0, lo), hi - 1), fraction));
    }
    // -m.f lies in (-(m + 1), -m].
    if (Math.max(0, -hi) <= -lo - 1) {
      choices.add(Expr.seq(Expr.literal("-"), natural(Math.max(0, -hi), -lo - 1), fraction));
    }
    return new Expr.Alt(choices);
  }

  /** Integers {@code lo..hi} written as JSON writes them. */
  private Expr intRange(long lo, long hi) {
    List<Expr> choices = new ArrayList<>();
    if (lo < 0) {
      choices.add(Expr.seq(Expr.literal("-"), natural(Math.max(1, -hi), -lo)));
    }
    if (hi >= 0) {
      choices.add(natural(Math.max(0, lo), hi));
    }
    return choices.size() == 1 ? choices.get(0) : new Expr.Alt(choices);
  }

  /** Non-negative integers {@code lo..hi} without leading zeros. */
  private static Expr natural(long lo, long hi) {
    List<Expr> choices = new ArrayList<>();
    int from = Long.toString(lo).length();
    int to = Long.toString(hi).length();
    for (int d = from; d <= to; d++) {
      long first = d == 1 ? 0 : tenTo(d - 1);
      long last = tenTo(d) - 1;
      choices.add(fixed(Long.toString(Math.max(lo, first)), Long.toString(Math.min(hi, last))));
    }
    return choices.size() == 1 ? choices.get(0) : new Expr.Alt(choices);
  }

  /** Digit strings of one length from {@code lo} to {@code hi}, digit by digit. */
  private static Expr fixed(String lo, String hi) {
    int n = lo.length();
    if (n == 0) {
      return Expr.empty();
    }
    char a = lo.charAt(0);
    char z = hi.charAt(0);
    String restLo = lo.substring(1);
    String restHi = hi.substring(1);
    if (a == z) {
      return Expr.seq(Expr.literal(String.valueOf(a)), fixed(restLo, restHi));
    }
    String zeros = repeat('0', n - 1);
    String nines = repeat('9', n - 1);
    if (restLo.equals(zeros) && restHi.equals(nines)) {
      return Expr.seq(Expr.range(a, z), Expr.repeat(digit(), n - 1, n - 1));
    }
    List<Expr> choices = new ArrayList<>();
    choices.add(Expr.seq(Expr.literal(String.valueOf(a)), fixed(restLo, nines)));
    if (z - a >= 2) {
      choices.add(Expr.seq(Expr.range(a + 1, z - 1), Expr.repeat(digit(), n - 1, n - 1)));
    }
    choices.add(Expr.seq(Expr.literal(String.valueOf(z)), fixed(zeros, restHi)));
    return new Expr.Alt(choices);
  }

  private static long tenTo(int k) {
    long v = 1;
    for (int i = 0; i < k; i++) {
      v *= 10;
    }
    return v;
  }

  private static String repeat(char c, int n) {
    char[] a = new char[n];
    java.util.Arrays.fill(a, c);
    return new String(a);
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    String text = JsonText.write(v);
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}

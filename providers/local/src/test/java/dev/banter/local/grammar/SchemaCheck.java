package dev.banter.local.grammar;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An independent JSON Schema validator for the subset the grammar converter supports, over values
 * as {@link dev.banter.template.Json#parse} gives them. Returns null when valid, else the path
 * and reason of the first violation.
 */
public final class SchemaCheck {
  private static final Pattern DATE = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])");
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

  private final Object root;

  private SchemaCheck(Object root) {
    this.root = root;
  }

  public static String validate(Object schema, Object value) {
    return new SchemaCheck(schema).check(schema, value, "$");
  }

  private String check(Object schema, Object v, String at) {
    if (Boolean.TRUE.equals(schema)) {
      return null;
    }
    if (!(schema instanceof Map<?, ?> s)) {
      return at + ": schema " + schema + " allows nothing";
    }
    if (s.containsKey("$ref")) {
      String ref = (String) s.get("$ref");
      String[] parts = ref.substring(2).split("/");
      Object target = ref.equals("#") ? root : ((Map<?, ?>) ((Map<?, ?>) root).get(parts[0])).get(parts[1]);
      return check(target, v, at);
    }
    if (s.containsKey("const") && !same(s.get("const"), v)) {
      return at + ": " + v + " is not the const " + s.get("const");
    }
    if (s.containsKey("enum") && ((List<?>) s.get("enum")).stream().noneMatch(e -> same(e, v))) {
      return at + ": " + v + " is not in the enum " + s.get("enum");
    }
    if (s.containsKey("anyOf") || s.containsKey("oneOf")) {
      List<?> options = (List<?>) (s.containsKey("anyOf") ? s.get("anyOf") : s.get("oneOf"));
      int matches = 0;
      String last = null;
      for (Object o : options) {
        String r = check(o, v, at);
        if (r == null) {
          matches++;
        } else {
          last = r;
        }
      }
      if (matches == 0) {
        return at + ": matches no option (" + last + ")";
      }
      if (s.containsKey("oneOf") && matches > 1) {
        return at + ": matches " + matches + " oneOf options";
      }
    }
    Object type = s.get("type");
    if (type != null) {
      List<?> types = type instanceof List<?> l ? l : List.of(type);
      if (types.stream().noneMatch(t -> hasType(v, (String) t))) {
        return at + ": " + v + " is not of type " + type;
      }
    }
    if (v instanceof Map<?, ?> m) {
      Map<?, ?> props = s.containsKey("properties") ? (Map<?, ?>) s.get("properties") : Map.of();
      for (Object r : s.containsKey("required") ? (List<?>) s.get("required") : List.of()) {
        if (!m.containsKey(r)) {
          return at + ": required property " + r + " is missing";
        }
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object sub = props.containsKey(e.getKey()) ? props.get(e.getKey())
            : s.containsKey("additionalProperties") ? s.get("additionalProperties") : Boolean.TRUE;
        if (Boolean.FALSE.equals(sub)) {
          return at + ": property " + e.getKey() + " is not allowed";
        }
        String r = check(sub, e.getValue(), at + "." + e.getKey());
        if (r != null) {
          return r;
        }
      }
    }
    if (v instanceof List<?> l) {
      if (s.containsKey("minItems") && l.size() < ((Long) s.get("minItems"))) {
        return at + ": " + l.size() + " items, fewer than minItems";
      }
      if (s.containsKey("maxItems") && l.size() > ((Long) s.get("maxItems"))) {
        return at + ": " + l.size() + " items, more than maxItems";
      }
      for (int i = 0; i < l.size(); i++) {
        String r = check(s.containsKey("items") ? s.get("items") : Boolean.TRUE, l.get(i), at + "[" + i + "]");
        if (r != null) {
          return r;
        }
      }
    }
    if (v instanceof String str) {
      int length = str.codePointCount(0, str.length());
      if (s.containsKey("minLength") && length < (Long) s.get("minLength")) {
        return at + ": \"" + str + "\" is shorter than minLength";
      }
      if (s.containsKey("maxLength") && length > (Long) s.get("maxLength")) {
        return at + ": \"" + str + "\" is longer than maxLength";
      }
      if ("date".equals(s.get("format")) && !DATE.matcher(str).matches()
          || "uuid".equals(s.get("format")) && !UUID.matcher(str).matches()) {
        return at + ": \"" + str + "\" is not a " + s.get("format");
      }
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (s.containsKey("minimum") && d < ((Number) s.get("minimum")).doubleValue()
          || s.containsKey("maximum") && d > ((Number) s.get("maximum")).doubleValue()
          || s.containsKey("exclusiveMinimum") && d <= ((Number) s.get("exclusiveMinimum")).doubleValue()
          || s.containsKey("exclusiveMaximum") && d >= ((Number) s.get("exclusiveMaximum")).doubleValue()) {
        return at + ": " + v + " is out of bounds";
      }
    }
    return null;
  }

  private static boolean hasType(Object v, String type) {
    return switch (type) {
      case "object" -> v instanceof Map;
      case "array" -> v instanceof List;
      case "string" -> v instanceof String;
      case "integer" -> v instanceof Long || v instanceof BigInteger;
      case "number" -> v instanceof Number;
      case "boolean" -> v instanceof Boolean;
      case "null" -> v == null;
      default -> false;
    };
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }
}

package dev.banter.core.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a JSON value against the subset of JSON Schema that {@link JsonSchemas} writes:
 * {@code type} (one or a list), {@code enum}, {@code properties}, {@code required},
 * {@code additionalProperties} (false or a schema), {@code items}, {@code anyOf}, {@code $ref}
 * ({@code #} and {@code #/$defs/…}), {@code minimum}/{@code maximum}, {@code minLength}/
 * {@code maxLength}/{@code pattern}, {@code minItems}/{@code maxItems}/{@code uniqueItems}. Other
 * keywords are ignored. Problems come back as {@code $.path: what is wrong}, at most
 * {@link #MAX_PROBLEMS}. Stateless and thread-safe.
 */
final class SchemaValidator {
  static final int MAX_PROBLEMS = 10;

  private SchemaValidator() {}

  static List<String> validate(JsonNode schema, JsonNode value) {
    List<String> problems = new ArrayList<>();
    check(schema, schema, value, "$", problems);
    return problems.size() > MAX_PROBLEMS ? new ArrayList<>(problems.subList(0, MAX_PROBLEMS)) : problems;
  }

  private static void check(JsonNode root, JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (problems.size() > MAX_PROBLEMS) {
      return;
    }
    if (schema.has("$ref")) {
      check(root, resolve(root, schema.get("$ref").asText()), value, path, problems);
      return;
    }
    if (schema.has("anyOf")) {
      List<String> best = null;
      for (JsonNode branch : schema.get("anyOf")) {
        List<String> p = new ArrayList<>();
        check(root, branch, value, path, p);
        if (p.isEmpty()) {
          best = p;
          break;
        }
        if (best == null || p.size() < best.size()) {
          best = p;
        }
      }
      if (best != null) {
        problems.addAll(best);
      }
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
      problems.add(path + ": expected " + typeText(schema.get("type")) + ", got " + describe(value));
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |= allowed.equals(value);
      }
      if (!found) {
        problems.add(path + ": " + describe(value) + " is not one of " + schema.get("enum"));
      }
    }
    if (value.isObject()) {
      object(root, schema, value, path, problems);
    } else if (value.isArray()) {
      array(root, schema, value, path, problems);
    } else if (value.isTextual()) {
      string(schema, value.asText(), path, problems);
    } else if (value.isNumber()) {
      if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
        problems.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
      }
      if (schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
        problems.add(path + ": " + value + " is above the maximum " + schema.get("maximum"));
      }
    }
  }

  private static void object(JsonNode root, JsonNode schema, JsonNode value, String path, List<String> problems) {
    JsonNode properties = schema.path("properties");
    for (JsonNode name : schema.path("required")) {
      if (!value.has(name.asText())) {
        problems.add(path + "." + name.asText() + ": required property missing");
      }
    }
    JsonNode additional = schema.get("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path + "." + e.getKey();
      if (properties.has(e.getKey())) {
        check(root, properties.get(e.getKey()), e.getValue(), p, problems);
      } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
        problems.add(p + ": unknown property; allowed: " + names(properties));
      } else if (additional != null && additional.isObject()) {
        check(root, additional, e.getValue(), p, problems);
      }
    }
  }

  private static void array(JsonNode root, JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
      problems.add(path + ": " + value.size() + " items, fewer than minItems " + schema.get("minItems"));
    }
    if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
      problems.add(path + ": " + value.size() + " items, more than maxItems " + schema.get("maxItems"));
    }
    if (schema.path("uniqueItems").asBoolean(false)) {
      Set<JsonNode> seen = new HashSet<>();
      for (JsonNode item : value) {
        if (!seen.add(item)) {
          problems.add(path + ": item " + item + " appears more than once, but items must be unique");
          break;
        }
      }
    }
    if (schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(root, schema.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private static void string(JsonNode schema, String s, String path, List<String> problems) {
    int length = s.codePointCount(0, s.length());
    if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
      problems.add(path + ": " + length + " characters, fewer than minLength " + schema.get("minLength"));
    }
    if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
      problems.add(path + ": " + length + " characters, more than maxLength " + schema.get("maxLength"));
    }
    if (schema.has("pattern")) {
      try {
        if (!java.util.regex.Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
          problems.add(path + ": \"" + shorten(s) + "\" does not match the pattern " + schema.get("pattern"));
        }
      } catch (PatternSyntaxException e) {
        problems.add(path + ": the schema's pattern " + schema.get("pattern") + " is no valid regular expression");
      }
    }
  }

  private static JsonNode resolve(JsonNode root, String ref) {
    if (ref.equals("#")) {
      return root;
    }
    if (ref.startsWith("#/$defs/")) {
      JsonNode def = root.path("$defs").get(ref.substring("#/$defs/".length()));
      if (def != null) {
        return def;
      }
    }
    throw new IllegalArgumentException("the schema refers to " + ref + ", which it does not define");
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    switch (type.asText()) {
      case "object":
        return value.isObject();
      case "array":
        return value.isArray();
      case "string":
        return value.isTextual();
      case "integer":
        return value.isIntegralNumber()
            || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
      case "number":
        return value.isNumber();
      case "boolean":
        return value.isBoolean();
      case "null":
        return value.isNull();
      default:
        return true;
    }
  }

  private static String typeText(JsonNode type) {
    if (!type.isArray()) {
      return type.asText();
    }
    List<String> names = new ArrayList<>();
    type.forEach(t -> names.add(t.asText()));
    return String.join(" or ", names);
  }

  private static String describe(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "the string \"" + shorten(value.asText()) + "\"";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "an array";
    }
    return (value.isBoolean() ? "the boolean " : "the number ") + value;
  }

  private static String names(JsonNode properties) {
    List<String> names = new ArrayList<>();
    properties.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

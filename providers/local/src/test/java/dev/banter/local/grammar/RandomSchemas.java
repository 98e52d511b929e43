package dev.banter.local.grammar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random JSON Schemas from the subset the converter supports, as parsed maps. */
public final class RandomSchemas {
  private static final String[] NAMES = {"id", "name", "tags", "é", "a b", "x", "count", "ok"};

  private final Random r;
  private final Map<String, Object> defs = new LinkedHashMap<>();

  private RandomSchemas(Random r) {
    this.r = r;
  }

  public static Object of(long seed) {
    RandomSchemas g = new RandomSchemas(new Random(seed));
    Object schema = g.schema(3);
    if (!g.defs.isEmpty() && schema instanceof Map<?, ?> m) {
      Map<String, Object> withDefs = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        withDefs.put((String) e.getKey(), e.getValue());
      }
      // References use either spelling; both containers hold the definitions.
      withDefs.put("$defs", g.defs);
      withDefs.put("definitions", g.defs);
      return withDefs;
    }
    return schema;
  }

  private Object schema(int depth) {
    int kind = r.nextInt(depth > 0 ? 16 : 10);
    Map<String, Object> s = new LinkedHashMap<>();
    switch (kind) {
      case 0 -> {
        s.put("type", "string");
        long min = r.nextInt(4);
        if (r.nextBoolean()) {
          s.put("minLength", min);
        }
        if (r.nextBoolean()) {
          s.put("maxLength", min + r.nextInt(6));
        }
      }
      case 1 -> {
        s.put("type", "integer");
        long lo = r.nextInt(2000) - 1000;
        if (r.nextBoolean()) {
          s.put("minimum", lo);
        }
        if (r.nextBoolean()) {
          s.put(r.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + 2 + r.nextInt(r.nextBoolean() ? 20 : 5000));
        }
      }
      case 2 -> {
        s.put("type", "number");
        double lo = Math.round((r.nextDouble() * 200 - 100) * 10) / 10.0;
        if (r.nextBoolean()) {
          s.put("minimum", lo);
        }
        if (r.nextBoolean()) {
          s.put("maximum", lo + 2 + r.nextInt(300));
        }
      }
      case 3 -> s.put("type", "boolean");
      case 4 -> s.put("type", "null");
      case 5 -> {
        List<Object> values = new ArrayList<>(List.of("red", "green", 3L, true));
        values.add(null);
        s.put("enum", values.subList(0, 1 + r.nextInt(values.size())));
      }
      case 6 -> s.put("const", r.nextBoolean() ? "fixed \"q\"" : (Object) 42L);
      case 7 -> {
        s.put("type", "string");
        s.put("format", r.nextBoolean() ? "date" : "uuid");
      }
      case 8 -> s.put("type", List.of("string", "null"));
      case 9 -> {
        return r.nextBoolean() ? Map.of() : Boolean.TRUE;
      }
      case 10, 11, 12 -> {
        s.put("type", "object");
        Map<String, Object> props = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          String name = NAMES[r.nextInt(NAMES.length)];
          if (!props.containsKey(name)) {
            props.put(name, schema(depth - 1));
            if (r.nextBoolean()) {
              required.add(name);
            }
          }
        }
        s.put("properties", props);
        if (!required.isEmpty()) {
          s.put("required", required);
        }
        int extra = r.nextInt(4);
        if (extra == 0) {
          s.put("additionalProperties", false);
        } else if (extra == 1) {
          s.put("additionalProperties", schema(depth - 1));
        }
      }
      case 13 -> {
        s.put("type", "array");
        s.put("items", schema(depth - 1));
        long min = r.nextInt(3);
        if (r.nextBoolean()) {
          s.put("minItems", min);
        }
        if (r.nextBoolean()) {
          s.put("maxItems", min + r.nextInt(3));
        }
      }
      case 14 -> {
        // Options of different types, so oneOf holds exactly one.
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", "integer");
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", "array");
        b.put("items", schema(depth - 1));
        s.put(r.nextBoolean() ? "anyOf" : "oneOf", List.of(a, b));
      }
      default -> {
        String name = "d" + defs.size();
        defs.put(name, Boolean.TRUE);
        defs.put(name, schema(depth - 1));
        s.put("$ref", (r.nextBoolean() ? "#/$defs/" : "#/definitions/") + name);
      }
    }
    return s;
  }
}

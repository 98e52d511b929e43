package dev.banter.core.tools;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.lang.annotation.Annotation;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Builds one JSON Schema from a Java type, with Jackson's view of its properties, so the schema
 * and the mapping of the answer back to the type agree on names and on what is there (records on
 * the JVM, plain classes with fields, setters or a {@code @JsonCreator} everywhere, Jackson's
 * {@code @JsonProperty} and {@code @JsonIgnore}). Classes other than the root are written once
 * under {@code $defs} and referenced, which covers reuse and recursion; the root refers to itself
 * as {@code #}. One instance per schema; not thread-safe.
 */
final class SchemaGenerator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper mapper = ToolJson.MAPPER;
  private final boolean strict;
  private final Map<Class<?>, String> defNames = new HashMap<>();
  private final Map<String, ObjectNode> defs = new LinkedHashMap<>();
  private Class<?> root;

  /**
   * @param strict every property required (OpenAI's strict mode); else optional properties are left
   *     out of {@code required}. Optional properties accept null either way, as Jackson writes an
   *     empty {@code Optional} as null and models often send null for "not given".
   */
  SchemaGenerator(boolean strict) {
    this.strict = strict;
  }

  ObjectNode generate(Type type) {
    JavaType t = mapper.constructType(type);
    ObjectNode schema;
    if (isBean(t)) {
      root = t.getRawClass();
      schema = NODES.objectNode();
      bean(t, schema);
    } else {
      schema = schemaFor(t, t.toCanonical());
    }
    if (!defs.isEmpty()) {
      ObjectNode d = schema.putObject("$defs");
      defs.forEach(d::set);
    }
    return schema;
  }

  /** Whether the generated schema's root is an object with named properties (what tools need). */
  static boolean describesObject(ObjectNode schema) {
    return "object".equals(schema.path("type").asText()) && schema.has("properties");
  }

  private ObjectNode schemaFor(JavaType t, String path) {
    Class<?> c = t.getRawClass();
    if (isOptional(t)) {
      return schemaFor(optionalContent(t), path);
    }
    if (c == boolean.class || c == Boolean.class) {
      return typed("boolean");
    }
    if (c == int.class || c == long.class || c == short.class || c == byte.class || c == Integer.class
        || c == Long.class || c == Short.class || c == Byte.class || c == BigInteger.class) {
      return typed("integer");
    }
    if (c == double.class || c == float.class || c == Double.class || c == Float.class || c == BigDecimal.class
        || c == Number.class) {
      return typed("number");
    }
    if (c == char.class || c == Character.class) {
      ObjectNode s = typed("string");
      s.put("minLength", 1).put("maxLength", 1);
      return s;
    }
    if (c == String.class || c == CharSequence.class) {
      return typed("string");
    }
    if (c == UUID.class) {
      return typed("string").put("format", "uuid");
    }
    if (c == URI.class) {
      return typed("string").put("format", "uri");
    }
    if (c == byte[].class) {
      return typed("string").put("contentEncoding", "base64");
    }
    if (c.isEnum()) {
      ObjectNode s = typed("string");
      ArrayNode values = s.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(mapper.valueToTree(constant).asText());
      }
      return s;
    }
    if (t.isArrayType() || t.isCollectionLikeType()) {
      ObjectNode s = typed("array");
      s.set("items", schemaFor(t.getContentType(), path + "[]"));
      if (Set.class.isAssignableFrom(c)) {
        s.put("uniqueItems", true);
      }
      return s;
    }
    if (t.isMapLikeType()) {
      Class<?> key = t.getKeyType().getRawClass();
      if (key != String.class) {
        throw unsupported(path, t, "map keys must be String, as JSON object keys are text");
      }
      ObjectNode s = typed("object");
      s.set("additionalProperties", schemaFor(t.getContentType(), path + "{}"));
      return s;
    }
    if (isBean(t)) {
      return ref(t);
    }
    throw unsupported(path, t, "no JSON Schema mapping for it; use a record or class with properties, a String,"
        + " a number, a boolean, an enum, a List, a Set, an array, a Map<String, V> or an Optional");
  }

  private static boolean isOptional(JavaType t) {
    Class<?> c = t.getRawClass();
    return c == Optional.class || c == OptionalInt.class || c == OptionalLong.class || c == OptionalDouble.class;
  }

  private JavaType optionalContent(JavaType t) {
    Class<?> c = t.getRawClass();
    if (c == OptionalInt.class) {
      return mapper.constructType(int.class);
    }
    if (c == OptionalLong.class) {
      return mapper.constructType(long.class);
    }
    if (c == OptionalDouble.class) {
      return mapper.constructType(double.class);
    }
    JavaType content = t.getContentType() != null ? t.getContentType() : t.containedType(0);
    if (content == null || content.getRawClass() == Object.class) {
      throw unsupported(t.toCanonical(), t, "an Optional needs a concrete type argument");
    }
    return content;
  }

  private static boolean isBean(JavaType t) {
    Class<?> c = t.getRawClass();
    if (c.isPrimitive() || c.isArray() || c.isEnum() || c.isInterface() || Modifier.isAbstract(c.getModifiers())
        || t.isContainerType() || t.isReferenceType()) {
      return false;
    }
    String n = c.getName();
    return !(n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("android.")
        || n.startsWith("com.fasterxml.jackson."));
  }

  private ObjectNode ref(JavaType t) {
    Class<?> c = t.getRawClass();
    ObjectNode r = NODES.objectNode();
    if (c == root) {
      return r.put("$ref", "#");
    }
    String name = defNames.get(c);
    if (name == null) {
      name = c.getSimpleName().isEmpty() ? "Type" : c.getSimpleName();
      String base = name;
      for (int i = 2; defs.containsKey(name); i++) {
        name = base + i;
      }
      defNames.put(c, name);
      ObjectNode def = NODES.objectNode();
      defs.put(name, def);
      bean(t, def);
    }
    return r.put("$ref", "#/$defs/" + name);
  }

  private void bean(JavaType t, ObjectNode into) {
    Class<?> c = t.getRawClass();
    BeanDescription bd = mapper.getDeserializationConfig().introspect(t);
    into.put("type", "object");
    Description typeDescription = c.getAnnotation(Description.class);
    if (typeDescription != null) {
      into.put("description", typeDescription.value());
    }
    ObjectNode properties = into.putObject("properties");
    List<String> required = new ArrayList<>();
    for (BeanPropertyDefinition p : bd.findProperties()) {
      if (!p.couldDeserialize()) {
        continue;
      }
      List<AnnotatedMember> members = members(p);
      if (annotation(members, JsonDeserialize.class) != null) {
        throw unsupported(c.getName() + "." + p.getName(), p.getPrimaryType(),
            "its JSON shape is set by a custom deserializer, which a schema cannot see; describe the property"
                + " with plain types or build the schema by hand");
      }
      JavaType type = p.getPrimaryType();
      boolean optional = isOptional(type) || hasNullable(members);
      ObjectNode s = schemaFor(type, c.getName() + "." + p.getName());
      constrain(s, members);
      if (optional) {
        s = nullable(s);
      }
      String description = description(members);
      if (description != null) {
        s = withFirst(s, "description", description);
      }
      properties.set(p.getName(), s);
      if (strict || !optional) {
        required.add(p.getName());
      }
    }
    ArrayNode req = into.putArray("required");
    required.forEach(req::add);
    into.put("additionalProperties", false);
  }

  private static List<AnnotatedMember> members(BeanPropertyDefinition p) {
    List<AnnotatedMember> m = new ArrayList<>();
    if (p.getConstructorParameter() != null) {
      m.add(p.getConstructorParameter());
    }
    if (p.getField() != null) {
      m.add(p.getField());
    }
    if (p.getGetter() != null) {
      m.add(p.getGetter());
    }
    if (p.getSetter() != null) {
      m.add(p.getSetter());
    }
    return m;
  }

  private static <A extends Annotation> A annotation(List<AnnotatedMember> members, Class<A> type) {
    for (AnnotatedMember m : members) {
      A a = m.getAnnotation(type);
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  /** Any annotation named {@code Nullable} (JSpecify, JSR-305, AndroidX, JetBrains) makes a property optional. */
  private static boolean hasNullable(List<AnnotatedMember> members) {
    for (AnnotatedMember m : members) {
      for (Annotation a : m.getAllAnnotations().annotations()) {
        if (a.annotationType().getSimpleName().equals("Nullable")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String description(List<AnnotatedMember> members) {
    Description d = annotation(members, Description.class);
    if (d != null) {
      return d.value();
    }
    JsonPropertyDescription j = annotation(members, JsonPropertyDescription.class);
    return j == null ? null : j.value();
  }

  private static void constrain(ObjectNode s, List<AnnotatedMember> members) {
    String type = s.path("type").asText();
    Range range = annotation(members, Range.class);
    if (range != null && (type.equals("integer") || type.equals("number"))) {
      if (range.min() != Double.NEGATIVE_INFINITY) {
        putNumber(s, "minimum", range.min());
      }
      if (range.max() != Double.POSITIVE_INFINITY) {
        putNumber(s, "maximum", range.max());
      }
    }
    Size size = annotation(members, Size.class);
    if (size != null && (type.equals("string") || type.equals("array"))) {
      String prefix = type.equals("string") ? "Length" : "Items";
      if (size.min() > 0) {
        s.put("min" + prefix, size.min());
      }
      if (size.max() != Integer.MAX_VALUE) {
        s.put("max" + prefix, size.max());
      }
    }
    Pattern pattern = annotation(members, Pattern.class);
    if (pattern != null && type.equals("string")) {
      s.put("pattern", pattern.value());
    }
  }

  private static void putNumber(ObjectNode s, String key, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      s.put(key, (long) v);
    } else {
      s.put(key, v);
    }
  }

  /** The schema, also accepting JSON null. */
  private static ObjectNode nullable(ObjectNode s) {
    if (s.has("type") && s.get("type").isTextual()) {
      ObjectNode n = s.deepCopy();
      ArrayNode types = NODES.arrayNode().add(s.get("type").asText()).add("null");
      n.set("type", types);
      if (n.has("enum")) {
        ((ArrayNode) n.get("enum")).addNull();
      }
      return withFirst(n, "type", types);
    }
    ObjectNode n = NODES.objectNode();
    n.putArray("anyOf").add(s).add(NODES.objectNode().put("type", "null"));
    return n;
  }

  private static ObjectNode withFirst(ObjectNode s, String key, String value) {
    return withFirst(s, key, NODES.textNode(value));
  }

  private static ObjectNode withFirst(ObjectNode s, String key, com.fasterxml.jackson.databind.JsonNode value) {
    ObjectNode n = NODES.objectNode();
    n.set(key, value);
    s.fields().forEachRemaining(e -> {
      if (!e.getKey().equals(key)) {
        n.set(e.getKey(), e.getValue());
      }
    });
    return n;
  }

  private static ObjectNode typed(String type) {
    return NODES.objectNode().put("type", type);
  }

  private static IllegalArgumentException unsupported(String path, JavaType t, String why) {
    return new IllegalArgumentException("Cannot describe " + path + " (" + t.toCanonical() + ") as JSON Schema: "
        + why + ".");
  }
}

package dev.banter.core.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * JSON Schemas generated from Java types, for tool parameters and structured output. Stateless
 * and thread-safe; schemas are cached per type.
 *
 * <pre>{@code
 * record WeatherQuery(@Description("City name") String city, Optional<Unit> unit) {}
 * String schema = JsonSchemas.of(WeatherQuery.class);       // unit may be left out, or null
 * String strict = JsonSchemas.strict(WeatherQuery.class);   // unit must be there, and may be null
 * }</pre>
 *
 * <p>The mapping: {@code boolean} → {@code boolean}; integral types and {@code BigInteger} →
 * {@code integer}; {@code float}, {@code double}, {@code BigDecimal} → {@code number};
 * {@code String}, {@code char}, {@code UUID}, {@code URI} → {@code string}; an enum → a
 * {@code string} with its constants' JSON names as {@code enum}; arrays, lists and sets →
 * {@code array} with {@code items} (sets add {@code uniqueItems}); {@code Map<String, V>} → an
 * {@code object} with {@code additionalProperties}; {@code Optional<T>} (and properties annotated
 * with any {@code @Nullable}) → the schema of {@code T} or {@code null}, and not required
 * ({@link #strict} requires it); records and classes → an
 * {@code object} with {@code properties}, {@code required} and {@code additionalProperties: false}.
 * Records and classes other than the root are written once under {@code $defs} and referenced with
 * {@code $ref}, so they may be reused and recursive. Properties are the ones Jackson reads when it
 * maps JSON to the type, named as Jackson names them ({@code @JsonProperty}, {@code @JsonIgnore}
 * honoured); {@link Description}, {@link Range}, {@link Size} and {@link Pattern} (or Jackson's
 * {@code @JsonPropertyDescription}) add descriptions and constraints.
 *
 * <p>Records: the JVM describes them from their components. Android below API 34 desugars records
 * into plain classes whose components Jackson cannot find; there, use classes with a no-argument
 * constructor and fields or setters, or annotate each record component with {@code @JsonProperty}.
 */
public final class JsonSchemas {
  // Weak keys: a cached schema must not keep an application's classes (and class loader) alive.
  private static final Map<Type, String> LENIENT = Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<Type, String> STRICT = Collections.synchronizedMap(new WeakHashMap<>());

  private JsonSchemas() {}

  /**
   * The schema of {@code type} as JSON text; {@code Optional} and {@code @Nullable} properties are
   * left out of {@code required} and accept {@code null} (an empty {@code Optional} is written as
   * null, and models often send null for "not given").
   *
   * @throws IllegalArgumentException naming the property whose type has no JSON Schema mapping
   *     (for example {@code Object}, a map with non-String keys, an interface)
   */
  public static String of(Type type) {
    Objects.requireNonNull(type, "type");
    return LENIENT.computeIfAbsent(type, t -> text(new SchemaGenerator(false).generate(t)));
  }

  /**
   * The schema of {@code type} in the form strict schema enforcement needs (OpenAI's strict mode,
   * and the local engine's grammar): every property is listed in {@code required}, and the
   * optional ones accept {@code null} instead.
   *
   * @throws IllegalArgumentException naming the property whose type has no JSON Schema mapping
   */
  public static String strict(Type type) {
    Objects.requireNonNull(type, "type");
    return STRICT.computeIfAbsent(type, t -> text(new SchemaGenerator(true).generate(t)));
  }

  static ObjectNode tree(String schema) {
    try {
      return (ObjectNode) ToolJson.MAPPER.readTree(schema);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON Schema object: " + e.getMessage(), e);
    }
  }

  private static String text(ObjectNode schema) {
    try {
      return ToolJson.MAPPER.writeValueAsString(schema);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a schema tree could not be written as JSON", e);
    }
  }
}

package dev.banter.local.chat;

import dev.banter.api.ToolSpec;
import java.util.List;
import java.util.Objects;

/**
 * How one model family writes a tool call, for a constrained decoder that must force one: the
 * literal text before the call, the JSON in between, the literal text after. Immutable.
 *
 * <pre>{@code
 * ToolCallSyntax syntax = ChatFormat.detect(template).toolCallSyntax();
 * String schema = syntax.callSchema(tools);      // JSON Schema of the JSON part
 * grammar = literal(syntax.prefix()) + jsonSchema(schema) + literal(syntax.suffix());
 * }</pre>
 *
 * <p>What lies between {@link #prefix()} and {@link #suffix()} depends on the {@link #shape()}:
 * <ul>
 *   <li>{@link Shape#OBJECT}: one JSON object {@code {"<nameKey>": N, "<argumentsKey>": A}} matching
 *       {@link #callSchema(List)};
 *   <li>{@link Shape#ARRAY}: a JSON array of such objects (one item unless {@link #parallel()});
 *   <li>{@link Shape#NAME_THEN_ARGUMENTS}: the function name as plain text, {@link #infix()}, then
 *       the arguments object ({@link #argumentsSchema(ToolSpec)} of that tool);
 *   <li>{@link Shape#NAME_THEN_TAGS}: the name, {@link #infix()}, then each argument as
 *       {@code <arg_key>K</arg_key>\n<arg_value>V</arg_value>\n} (GLM; strings unquoted, other values as JSON);
 *   <li>{@link Shape#NAME_THEN_PARAMETERS}: the name, {@link #infix()}, then each argument as
 *       {@code <parameter=K>\nV\n</parameter>\n} (Qwen3-Coder; strings unquoted, other values as JSON).
 * </ul>
 * When {@link #parallel()} is true and the shape is not an array, further calls may follow a
 * finished one, each written whole again after {@link #separator()}.
 *
 * @param shape what comes between prefix and suffix
 * @param prefix the literal text that opens a call
 * @param infix the literal text between name and arguments ({@code NAME_THEN_*} shapes), else empty
 * @param suffix the literal text that closes a call
 * @param nameKey the JSON key of the function name ({@code OBJECT} and {@code ARRAY}), else empty
 * @param argumentsKey the JSON key of the arguments ({@code OBJECT} and {@code ARRAY}), else empty
 * @param idKey the JSON key of an optional call id the model writes (Mistral's {@code id}), else empty
 * @param parallel whether one answer may hold several calls
 * @param separator the text between two whole calls when {@code parallel} and not an array
 */
public record ToolCallSyntax(Shape shape, String prefix, String infix, String suffix, String nameKey,
    String argumentsKey, String idKey, boolean parallel, String separator) {

  /** What sits between a call's prefix and suffix. */
  public enum Shape {
    /** A JSON object with the name and the arguments. */
    OBJECT,
    /** A JSON array of objects with the name and the arguments. */
    ARRAY,
    /** The name as text, the infix, then the arguments as a JSON object. */
    NAME_THEN_ARGUMENTS,
    /** The name as text, the infix, then the arguments as key and value tags. */
    NAME_THEN_TAGS,
    /** The name as text, the infix, then each argument as a parameter tag. */
    NAME_THEN_PARAMETERS
  }

  public ToolCallSyntax {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(infix, "infix");
    Objects.requireNonNull(suffix, "suffix");
    Objects.requireNonNull(nameKey, "nameKey");
    Objects.requireNonNull(argumentsKey, "argumentsKey");
    Objects.requireNonNull(idKey, "idKey");
    Objects.requireNonNull(separator, "separator");
    boolean json = shape == Shape.OBJECT || shape == Shape.ARRAY;
    if (json && (nameKey.isEmpty() || argumentsKey.isEmpty())) {
      throw new IllegalArgumentException(shape + " needs a nameKey and an argumentsKey");
    }
  }

  /**
   * The JSON Schema (as text) of the JSON this syntax writes for one call to any of {@code tools}:
   * for {@code OBJECT} and the {@code NAME_THEN_*} shapes an object
   * {@code {"type":"object","properties":{"name":{"const":N},"arguments":S},"required":[...]}}, under
   * {@code anyOf} when there are several tools (for the {@code NAME_THEN_*} shapes the name is then
   * written as text, not as JSON); for {@code ARRAY} an array of those.
   *
   * @throws IllegalArgumentException if {@code tools} is empty
   */
  public String callSchema(List<ToolSpec> tools) {
    if (Objects.requireNonNull(tools, "tools").isEmpty()) {
      throw new IllegalArgumentException("a call schema needs at least one tool");
    }
    String nameKey = this.nameKey.isEmpty() ? "name" : this.nameKey;
    String argumentsKey = this.argumentsKey.isEmpty() ? "arguments" : this.argumentsKey;
    StringBuilder one = new StringBuilder();
    if (tools.size() > 1) {
      one.append("{\"anyOf\": [");
    }
    for (int i = 0; i < tools.size(); i++) {
      ToolSpec t = tools.get(i);
      if (i > 0) {
        one.append(", ");
      }
      one.append("{\"type\": \"object\", \"properties\": {").append(JsonScan.quote(nameKey))
          .append(": {\"const\": ").append(JsonScan.quote(t.name())).append("}, ").append(JsonScan.quote(argumentsKey))
          .append(": ").append(argumentsSchema(t));
      if (!idKey.isEmpty()) {
        one.append(", ").append(JsonScan.quote(idKey)).append(": {\"type\": \"string\", \"pattern\": \"^[a-zA-Z0-9]{9}$\"}");
      }
      one.append("}, \"required\": [").append(JsonScan.quote(nameKey)).append(", ").append(JsonScan.quote(argumentsKey))
          .append("]}");
    }
    if (tools.size() > 1) {
      one.append("]}");
    }
    if (shape != Shape.ARRAY) {
      return one.toString();
    }
    return "{\"type\": \"array\", \"items\": " + one + ", \"minItems\": 1" + (parallel ? "" : ", \"maxItems\": 1") + "}";
  }

  /** The JSON Schema of {@code tool}'s arguments, as the tool declares it. */
  public String argumentsSchema(ToolSpec tool) {
    return Texts.strip(tool.parametersSchema());
  }

  /**
   * One call written in this syntax, prefix to suffix: what a model trained on it writes, and what
   * the family's parser reads back.
   *
   * @param argumentsJson the arguments as a JSON object text
   */
  public String write(String name, String argumentsJson) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argumentsJson, "argumentsJson");
    switch (shape) {
      case OBJECT:
        return prefix + object(name, argumentsJson) + suffix;
      case ARRAY:
        return prefix + "[" + object(name, argumentsJson) + "]" + suffix;
      case NAME_THEN_ARGUMENTS:
        return prefix + name + infix + argumentsJson + suffix;
      default:
        StringBuilder b = new StringBuilder(prefix).append(name).append(infix);
        Object parsed = dev.banter.template.Json.parse(argumentsJson);
        if (parsed instanceof java.util.Map<?, ?> map) {
          for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            String value = v instanceof String s ? s : JsonScan.write(v);
            if (shape == Shape.NAME_THEN_TAGS) {
              b.append("<arg_key>").append(e.getKey()).append("</arg_key>\n<arg_value>").append(value).append("</arg_value>\n");
            } else {
              b.append("<parameter=").append(e.getKey()).append(">\n").append(value).append("\n</parameter>\n");
            }
          }
        }
        return b.append(suffix).toString();
    }
  }

  private String object(String name, String argumentsJson) {
    return "{" + JsonScan.quote(nameKey) + ": " + JsonScan.quote(name) + ", " + JsonScan.quote(argumentsKey) + ": "
        + argumentsJson + "}";
  }
}

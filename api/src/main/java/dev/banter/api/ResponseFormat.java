package dev.banter.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The shape the answer must take: free text (the default), any JSON object, JSON matching a
 * schema, or text of a GBNF grammar (backends that constrain decoding, such as {@code local}).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatRequest r = ChatRequest.builder().user("List three planets as JSON.")
 *     .responseFormat(ResponseFormat.jsonSchema("planets", schemaJson, true)).build();
 * }</pre>
 */
public final class ResponseFormat {
  /**
   * The kind of output required.
   *
   * <pre>{@code
   * boolean json = request.responseFormat().type() != ResponseFormat.Type.TEXT;
   * }</pre>
   */
  public enum Type {
    TEXT,
    JSON_OBJECT,
    JSON_SCHEMA,
    /** Text of a GBNF grammar ({@link #grammar(String)}); only backends that constrain decoding accept it. */
    GRAMMAR
  }

  private static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);
  private static final ResponseFormat JSON = new ResponseFormat(Type.JSON_OBJECT, null, null, false);

  private final Type type;
  private final String name;
  private final String schema;
  private final boolean strict;

  private ResponseFormat(Type type, String name, String schema, boolean strict) {
    this.type = type;
    this.name = name;
    this.schema = schema;
    this.strict = strict;
  }

  public static ResponseFormat text() {
    return TEXT;
  }

  public static ResponseFormat jsonObject() {
    return JSON;
  }

  /**
   * JSON that matches {@code schema} (a JSON Schema object as text).
   *
   * @param name a name for the schema, {@code [A-Za-z0-9_-]{1,64}}
   * @param strict whether the backend must enforce the schema exactly
   */
  public static ResponseFormat jsonSchema(String name, String schema, boolean strict) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schema, "schema");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("schema name must match [A-Za-z0-9_-]{1,64}, got '" + name + "'");
    }
    return new ResponseFormat(Type.JSON_SCHEMA, name, schema, strict);
  }

  /**
   * Text that is a sentence of {@code gbnf}, a grammar in llama.cpp's GBNF format whose start
   * rule is {@code root}. Backends that cannot constrain decoding refuse it with an
   * {@link InvalidRequestException}; the grammar itself is checked by the backend.
   *
   * <pre>{@code
   * ResponseFormat yesNo = ResponseFormat.grammar("root ::= (\"yes\" | \"no\") \".\"");
   * ChatRequest r = ChatRequest.builder().user("Is Mars red?").responseFormat(yesNo).build();
   * }</pre>
   */
  public static ResponseFormat grammar(String gbnf) {
    Objects.requireNonNull(gbnf, "gbnf");
    if (gbnf.trim().isEmpty()) {
      throw new IllegalArgumentException("the grammar is empty; write at least root ::= ...");
    }
    return new ResponseFormat(Type.GRAMMAR, null, gbnf, false);
  }

  public Type type() {
    return type;
  }

  /** The schema's name, for {@link Type#JSON_SCHEMA}. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The JSON Schema as text, for {@link Type#JSON_SCHEMA}. */
  public Optional<String> schema() {
    return type == Type.JSON_SCHEMA ? Optional.of(schema) : Optional.empty();
  }

  /** The GBNF text, for {@link Type#GRAMMAR}. */
  public Optional<String> grammar() {
    return type == Type.GRAMMAR ? Optional.of(schema) : Optional.empty();
  }

  public boolean strict() {
    return strict;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ResponseFormat f)) {
      return false;
    }
    return f.type == type && f.strict == strict && Objects.equals(f.name, name) && Objects.equals(f.schema, schema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, schema, strict);
  }

  @Override
  public String toString() {
    return type == Type.JSON_SCHEMA ? "json_schema:" + name : type.name().toLowerCase(java.util.Locale.ROOT);
  }
}

package dev.banter.openai;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The module's one {@link ObjectMapper}: snake_case field names, unknown fields ignored, nulls
 * left out unless a field says otherwise, a single value accepted where a list is expected
 * ({@code "stop": "x"}). Jackson types stay inside this package.
 */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .visibility(PropertyAccessor.ALL, Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, Visibility.ANY)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  static String writeString(Object value) {
    return new String(write(value), StandardCharsets.UTF_8);
  }

  /** Parses {@code json} into {@code type}; Jackson's exception is the caller's to translate. */
  static <T> T read(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  static <T> T read(String json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  static JsonNode tree(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** The text of a JSON value that may be a string, a number or absent; empty when neither. */
  static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "";
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** A short, printable excerpt of a body for error messages. */
  static String excerpt(String body, int max) {
    String oneLine = body.replace('\n', ' ').replace('\r', ' ').trim();
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
  }
}

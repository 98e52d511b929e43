package dev.banter.core.tools;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/**
 * The Jackson mapper of this package, configured here and never exposed: it maps model output to
 * application types and tool results to JSON. {@code Optional} properties need Jdk8Module; a JSON
 * null for a primitive is an error rather than a silent zero, and so is text after the JSON value.
 */
final class ToolJson {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ToolJson() {}
}

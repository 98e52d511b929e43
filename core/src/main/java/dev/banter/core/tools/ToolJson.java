package dev.banter.core.tools;

import dev.banter.api.ConfigurationException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/**
 * The Jackson mapper of this package, configured here and never exposed: it maps model output to
 * application types and tool results to JSON. {@code Optional} properties need Jdk8Module; a JSON
 * null for a primitive is an error rather than a silent zero, and so is text after the JSON value.
 * Answers are read into trees first (to check them against the schema), so decimals are kept as
 * exact {@code BigDecimal}s there: a {@code BigDecimal} property gets every digit the model wrote.
 */
final class ToolJson {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private ToolJson() {}

  /**
   * The error for a type Jackson cannot build at all: a problem of the application's type, not of
   * the model's answer, so it is neither repaired nor sent to the model.
   */
  static ConfigurationException unmappable(Class<?> type, InvalidDefinitionException e) {
    return new ConfigurationException("Jackson cannot create " + type.getName() + " from JSON: "
        + e.getOriginalMessage() + ". Give it a constructor Jackson can use (a record's, a public no-argument"
        + " one, or a @JsonCreator); on the module path, open its package to com.fasterxml.jackson.databind"
        + " (opens " + (type.getPackage() == null ? "your.package" : type.getPackage().getName())
        + " to com.fasterxml.jackson.databind;).", type.getName(), null, e);
  }
}

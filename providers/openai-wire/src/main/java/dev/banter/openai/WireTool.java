package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;

/** A function tool definition: {@code {"type":"function","function":{name, description, parameters}}}. */
final class WireTool {
  String type;
  Function function;

  static final class Function {
    String name;
    String description;
    JsonNode parameters;
    Boolean strict;
  }
}

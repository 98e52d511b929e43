package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool call on the wire: whole in a message, or a fragment keyed by {@code index} in a
 * streamed delta. {@code arguments} is a JSON-encoded string by the standard, but a few servers
 * send an object, so it is kept as a node.
 */
final class WireToolCall {
  Integer index;
  String id;
  String type;
  Function function;

  static final class Function {
    String name;
    JsonNode arguments;
  }

  String name() {
    return function == null || function.name == null ? "" : function.name;
  }

  String arguments() {
    if (function == null || function.arguments == null || function.arguments.isNull()) {
      return "";
    }
    return function.arguments.isTextual() ? function.arguments.textValue() : function.arguments.toString();
  }
}

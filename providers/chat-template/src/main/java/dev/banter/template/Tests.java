package dev.banter.template;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tests chat templates use, the names after {@code is}: {@code defined}, {@code string}, {@code none}, ... */
final class Tests {
  static final Set<String> NAMES = Parser.names(
      "boolean", "defined", "equalto", "false", "in", "integer", "iterable", "mapping", "none", "number",
      "sequence", "string", "true", "undefined");

  private Tests() {}

  static boolean apply(String name, Object value, Args args) {
    if (name.equals("equalto")) {
      return Compare.eq(value, args.bindRequired(name, 1, "other")[0]);
    } else if (name.equals("in")) {
      return Iteration.contains(args.bindRequired(name, 1, "seq")[0], value);
    }
    args.bind(name);
    return switch (name) {
      case "defined" -> !(value instanceof Undefined);
      case "undefined" -> value instanceof Undefined;
      case "none" -> value == null;
      case "boolean" -> value instanceof Boolean;
      case "true" -> Boolean.TRUE.equals(value);
      case "false" -> Boolean.FALSE.equals(value);
      case "integer" -> value instanceof Long;
      case "number" -> Types.isNumber(value);
      case "string" -> value instanceof String;
      case "mapping" -> value instanceof Map;
      case "iterable" -> Iteration.isIterable(value);
      case "sequence" -> value instanceof List || value instanceof Map || value instanceof String
          || value instanceof Undefined;
      default -> throw new EvalError("the test '" + name + "' is not supported");
    };
  }
}

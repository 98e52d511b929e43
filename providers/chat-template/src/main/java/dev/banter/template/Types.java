package dev.banter.template;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which Python type a template value has, and the implicit conversions to {@code bool} and
 * {@code int}.
 *
 * <p>Values are Java objects: {@code null} (None), {@link Boolean}, {@link Long} (int, 64 bits),
 * {@link Double} (float; only the caller's data has them, templates cannot write one),
 * {@link String}, {@link List} (list), {@link Tuple}, {@link Map} with insertion order (dict),
 * {@link Namespace}, {@link Func}, {@link LoopContext} and {@link Undefined}.
 */
final class Types {
  private Types() {}

  static String name(Object v) {
    if (v == null) {
      return "NoneType";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof Long) {
      return "int";
    } else if (v instanceof Double) {
      return "float";
    } else if (v instanceof String) {
      return "str";
    } else if (v instanceof Tuple) {
      return "tuple";
    } else if (v instanceof List) {
      return "list";
    } else if (v instanceof Map) {
      return "dict";
    } else if (v instanceof Namespace) {
      return "Namespace";
    } else if (v instanceof LoopContext) {
      return "LoopContext";
    } else if (v instanceof Func) {
      return "function";
    } else if (v instanceof Undefined) {
      return "Undefined";
    }
    return v.getClass().getSimpleName();
  }

  /** int or bool: what Python accepts where an integer is needed. */
  static boolean isIntLike(Object v) {
    return v instanceof Long || v instanceof Boolean;
  }

  static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Boolean;
  }

  /** Python's {@code bool(v)}. */
  static boolean truthy(Object v) {
    if (v == null || v instanceof Undefined) {
      return false;
    } else if (v instanceof Boolean b) {
      return b;
    } else if (v instanceof Long l) {
      return l != 0;
    } else if (v instanceof Double d) {
      return d != 0.0;
    } else if (v instanceof String s) {
      return !s.isEmpty();
    } else if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    } else if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  /** An int or bool as a long; {@code what} names the value in the error for anything else. */
  static long toLong(Object v, String what) {
    if (v instanceof Long l) {
      return l;
    } else if (v instanceof Boolean b) {
      return b ? 1 : 0;
    } else if (v instanceof Undefined u) {
      throw u.fail();
    }
    throw new EvalError(what + " must be an integer, not '" + name(v) + "'");
  }

  /** A number as a double. */
  static double toDouble(Object number) {
    if (number instanceof Double d) {
      return d;
    }
    return toLong(number, "the operand");
  }
}

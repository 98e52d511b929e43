package dev.banter.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's operators as chat templates use them: {@code + - *} on numbers, {@code %} on integers,
 * {@code +} joining strings, lists and tuples, {@code 'text' * n}, and unary minus. Integers are 64
 * bits: a result beyond that fails instead of growing as Python's would. Booleans count as 0 and 1.
 */
final class Arithmetic {
  private Arithmetic() {}

  static Object binary(Renderer r, String op, Object a, Object b) {
    if (a instanceof Undefined u) {
      throw u.fail();
    }
    if (b instanceof Undefined u) {
      throw u.fail();
    }
    return switch (op) {
      case "+" -> add(r, a, b);
      case "-" -> numeric(op, a, b);
      case "*" -> multiply(r, a, b);
      case "%" -> modulo(a, b);
      default -> throw new IllegalStateException(op);
    };
  }

  static Object negate(Object v) {
    if (v instanceof Undefined u) {
      throw u.fail();
    } else if (v instanceof Double d) {
      return -d;
    } else if (Types.isIntLike(v)) {
      long x = Types.toLong(v, "the operand");
      if (x == Long.MIN_VALUE) {
        throw overflow("-(" + x + ")");
      }
      return -x;
    }
    throw new EvalError("bad operand type for unary -: '" + Types.name(v) + "'");
  }

  private static Object add(Renderer r, Object a, Object b) {
    if (Types.isNumber(a) && Types.isNumber(b)) {
      return numeric("+", a, b);
    }
    if (a instanceof String x && b instanceof String y) {
      return r.concat(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y && (x instanceof Tuple) == (y instanceof Tuple)) {
      r.chargeItems((long) x.size() + y.size());
      List<Object> out = new ArrayList<>(x.size() + y.size());
      out.addAll(x);
      out.addAll(y);
      return x instanceof Tuple ? Tuple.of(out) : out;
    }
    throw unsupported("+", a, b);
  }

  private static Object multiply(Renderer r, Object a, Object b) {
    if (Types.isNumber(a) && Types.isNumber(b)) {
      return numeric("*", a, b);
    }
    if (a instanceof String s && Types.isIntLike(b)) {
      return repeat(r, s, Types.toLong(b, "the repeat count"));
    }
    if (b instanceof String s && Types.isIntLike(a)) {
      return repeat(r, s, Types.toLong(a, "the repeat count"));
    }
    throw unsupported("*", a, b);
  }

  private static String repeat(Renderer r, String s, long times) {
    long n = Math.max(0, times);
    if (n * s.length() > Limits.MAX_STRING_CHARS) {
      throw new EvalError("repeating a string of " + s.length() + " chars " + n
          + " times exceeds the limit of " + Limits.MAX_STRING_CHARS + " chars");
    }
    StringBuilder sb = new StringBuilder((int) (n * s.length()));
    for (long i = 0; i < n; i++) {
      sb.append(s);
    }
    r.chargeChars(sb.length());
    return sb.toString();
  }

  private static Object modulo(Object a, Object b) {
    if (a instanceof String) {
      throw new EvalError("string formatting with '%' is not supported; join text with '~' or use"
          + " str.format() with '{}' fields");
    }
    if (!Types.isIntLike(a) || !Types.isIntLike(b)) {
      throw new EvalError("'%' is supported between integers only, not '" + Types.name(a) + "' and '"
          + Types.name(b) + "'");
    }
    long y = Types.toLong(b, "the divisor");
    if (y == 0) {
      throw new EvalError("integer modulo by zero");
    }
    return Math.floorMod(Types.toLong(a, "the dividend"), y);
  }

  private static Object numeric(String op, Object a, Object b) {
    if (!Types.isNumber(a) || !Types.isNumber(b)) {
      throw unsupported(op, a, b);
    }
    if (a instanceof Double || b instanceof Double) {
      double x = Types.toDouble(a);
      double y = Types.toDouble(b);
      return switch (op) {
        case "+" -> x + y;
        case "-" -> x - y;
        default -> x * y;
      };
    }
    long x = Types.toLong(a, "the operand");
    long y = Types.toLong(b, "the operand");
    try {
      return switch (op) {
        case "+" -> Math.addExact(x, y);
        case "-" -> Math.subtractExact(x, y);
        default -> Math.multiplyExact(x, y);
      };
    } catch (ArithmeticException e) {
      throw overflow(x + " " + op + " " + y);
    }
  }

  private static EvalError overflow(String expression) {
    return new EvalError("integer overflow: " + expression + " does not fit in 64 bits");
  }

  private static EvalError unsupported(String op, Object a, Object b) {
    return new EvalError("unsupported operand type(s) for " + op + ": '" + Types.name(a) + "' and '"
        + Types.name(b) + "'");
  }
}

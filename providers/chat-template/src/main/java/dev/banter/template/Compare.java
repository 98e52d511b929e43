package dev.banter.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Python's equality and ordering: numbers by value ({@code 1 == 1.0 == True}), strings by code
 * point, lists and tuples item by item, dicts by their items.
 */
final class Compare {
  /** What {@link #numbers} returns when a NaN makes two numbers unordered. */
  static final int UNORDERED = Integer.MIN_VALUE;

  private Compare() {}

  static boolean eq(Object a, Object b) {
    return eq(a, b, 0);
  }

  private static boolean eq(Object a, Object b, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw Limits.valueTooDeep();
    }
    if (a == b) {
      return !(a instanceof Double d && d.isNaN());
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Undefined || b instanceof Undefined) {
      return a instanceof Undefined && b instanceof Undefined;
    }
    if (Types.isNumber(a) && Types.isNumber(b)) {
      return numbers(a, b) == 0;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if ((x instanceof Tuple) != (y instanceof Tuple) || x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!eq(x.get(i), y.get(i), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        Object other = Lookup.mapGet(y, e.getKey());
        if (other == Lookup.ABSENT || !eq(e.getValue(), other, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** {@code a op b} for {@code <}, {@code <=}, {@code >} or {@code >=}; false when a NaN is involved. */
  static boolean ordered(String op, Object a, Object b) {
    int c = Types.isNumber(a) && Types.isNumber(b) ? numbers(a, b) : compare(a, b, op, 0);
    if (c == UNORDERED) {
      return false;
    }
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      default -> throw new IllegalStateException(op);
    };
  }

  /** Orders two values for sorting; fails for values Python cannot order. */
  static int compare(Object a, Object b) {
    return compare(a, b, "<", 0);
  }

  private static int compare(Object a, Object b, String op, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw Limits.valueTooDeep();
    }
    if (a instanceof Undefined u) {
      throw u.fail();
    }
    if (b instanceof Undefined u) {
      throw u.fail();
    }
    if (Types.isNumber(a) && Types.isNumber(b)) {
      int c = numbers(a, b);
      return c == UNORDERED ? 0 : c;
    }
    if (a instanceof String x && b instanceof String y) {
      return codePoints(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y && (x instanceof Tuple) == (y instanceof Tuple)) {
      int n = Math.min(x.size(), y.size());
      for (int i = 0; i < n; i++) {
        if (!eq(x.get(i), y.get(i), depth + 1)) {
          return compare(x.get(i), y.get(i), op, depth + 1);
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    throw new EvalError("'" + op + "' not supported between instances of '" + Types.name(a) + "' and '"
        + Types.name(b) + "'");
  }

  /** Compares two numbers exactly, as Python does; {@link #UNORDERED} when either is NaN. */
  static int numbers(Object a, Object b) {
    if (!(a instanceof Double) && !(b instanceof Double)) {
      return Long.compare(Types.toLong(a, "a number"), Types.toLong(b, "a number"));
    }
    double x = Types.toDouble(a);
    double y = Types.toDouble(b);
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return UNORDERED;
    }
    if (a instanceof Double && b instanceof Double || Double.isInfinite(x) || Double.isInfinite(y)) {
      return x < y ? -1 : x > y ? 1 : 0;
    }
    BigDecimal p = a instanceof Double ? new BigDecimal(x) : BigDecimal.valueOf(Types.toLong(a, "a number"));
    BigDecimal q = b instanceof Double ? new BigDecimal(y) : BigDecimal.valueOf(Types.toLong(b, "a number"));
    return Integer.signum(p.compareTo(q));
  }

  static int codePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return x < y ? -1 : 1;
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}

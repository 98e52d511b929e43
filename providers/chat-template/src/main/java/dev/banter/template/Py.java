package dev.banter.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python value semantics as Jinja templates see them: truth, {@code str()} and {@code repr()},
 * equality and ordering, arithmetic, membership, iteration, attribute and item lookup, slicing.
 *
 * <p>Values are Java objects: {@code null} (None), {@link Boolean}, {@link Long} or, past 64 bits,
 * {@link BigInteger} (int), {@link Double} (float), {@link String}, {@link List} (list),
 * {@link Tuple}, {@link Map} with insertion order (dict), {@link Namespace}, {@link Func},
 * {@link LoopContext} and {@link Undefined}.
 */
final class Py {
  /** What {@link #mapGet} returns when the key is absent. */
  static final Object ABSENT = new Object();

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Py() {}

  // ---------------------------------------------------------------- types

  static boolean isInt(Object v) {
    return v instanceof Long || v instanceof BigInteger;
  }

  /** int or bool: what Python accepts where an integer is needed. */
  static boolean isIntLike(Object v) {
    return v instanceof Long || v instanceof BigInteger || v instanceof Boolean;
  }

  static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof BigInteger || v instanceof Boolean;
  }

  static String typeName(Object v) {
    if (v == null) {
      return "NoneType";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof Long || v instanceof BigInteger) {
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

  static Object integer(BigInteger value) {
    return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0
        ? (Object) value.longValue()
        : value;
  }

  static BigInteger big(Object intLike) {
    if (intLike instanceof BigInteger) {
      return (BigInteger) intLike;
    } else if (intLike instanceof Boolean) {
      return ((Boolean) intLike) ? BigInteger.ONE : BigInteger.ZERO;
    }
    return BigInteger.valueOf((Long) intLike);
  }

  /** An int-like value as a Java long, failing when it does not fit. */
  static long toLong(Object intLike, String what) {
    if (intLike instanceof Long) {
      return (Long) intLike;
    } else if (intLike instanceof Boolean) {
      return ((Boolean) intLike) ? 1 : 0;
    } else if (intLike instanceof BigInteger) {
      throw new EvalError(what + " is too large: " + intLike);
    }
    throw new EvalError(what + " must be an integer, not '" + typeName(intLike) + "'");
  }

  static double toDouble(Object number) {
    if (number instanceof Double) {
      return (Double) number;
    } else if (number instanceof Long) {
      return (Long) number;
    } else if (number instanceof Boolean) {
      return ((Boolean) number) ? 1 : 0;
    } else if (number instanceof BigInteger) {
      double d = ((BigInteger) number).doubleValue();
      if (Double.isInfinite(d)) {
        throw new EvalError("int too large to convert to float");
      }
      return d;
    }
    throw new EvalError("must be a number, not '" + typeName(number) + "'");
  }

  // ---------------------------------------------------------------- truth and text

  static boolean truthy(Object v) {
    if (v == null || v instanceof Undefined) {
      return false;
    } else if (v instanceof Boolean) {
      return (Boolean) v;
    } else if (v instanceof Long) {
      return (Long) v != 0;
    } else if (v instanceof Double) {
      return (Double) v != 0.0;
    } else if (v instanceof BigInteger) {
      return ((BigInteger) v).signum() != 0;
    } else if (v instanceof String) {
      return !((String) v).isEmpty();
    } else if (v instanceof Collection) {
      return !((Collection<?>) v).isEmpty();
    } else if (v instanceof Map) {
      return !((Map<?, ?>) v).isEmpty();
    }
    return true;
  }

  /** Python's {@code str(v)}, which is what {@code {{ v }}} prints. */
  static String str(Object v) {
    if (v instanceof String) {
      return (String) v;
    } else if (v instanceof Undefined) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    appendRepr(sb, v, 0);
    return sb.toString();
  }

  /** Python's {@code repr(v)}. */
  static String repr(Object v) {
    StringBuilder sb = new StringBuilder();
    appendRepr(sb, v, 0);
    return sb.toString();
  }

  private static void appendRepr(StringBuilder sb, Object v, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw tooDeep();
    }
    if (sb.length() > Limits.MAX_STRING_CHARS) {
      throw new EvalError("printing a value produced more than " + Limits.MAX_STRING_CHARS + " chars");
    }
    if (v == null) {
      sb.append("None");
    } else if (v instanceof Boolean) {
      sb.append((Boolean) v ? "True" : "False");
    } else if (v instanceof Long || v instanceof BigInteger) {
      sb.append(v);
    } else if (v instanceof Double) {
      sb.append(floatRepr((Double) v));
    } else if (v instanceof String) {
      appendStringRepr(sb, (String) v);
    } else if (v instanceof Tuple) {
      Tuple t = (Tuple) v;
      sb.append('(');
      for (int i = 0; i < t.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        appendRepr(sb, t.get(i), depth + 1);
      }
      sb.append(t.size() == 1 ? ",)" : ")");
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object item : (List<?>) v) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        appendRepr(sb, item, depth + 1);
      }
      sb.append(']');
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        appendRepr(sb, e.getKey(), depth + 1);
        sb.append(": ");
        appendRepr(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Namespace) {
      sb.append("<Namespace ");
      appendRepr(sb, ((Namespace) v).attributes, depth + 1);
      sb.append('>');
    } else if (v instanceof LoopContext) {
      sb.append(v);
    } else if (v instanceof Func) {
      sb.append("<function ").append(((Func) v).name()).append('>');
    } else if (v instanceof Undefined) {
      sb.append("Undefined");
    } else {
      sb.append(v);
    }
  }

  static EvalError tooDeep() {
    return new EvalError("a value is nested deeper than " + Limits.MAX_VALUE_DEPTH
        + " levels (does a list or dict contain itself?)");
  }

  private static void appendStringRepr(StringBuilder sb, String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    sb.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        sb.append('\\').append((char) cp);
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (cp < 0x20 || cp == 0x7f) {
        hex(sb, "\\x", cp, 2);
      } else if (cp < 0x7f || isPrintable(cp)) {
        sb.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        hex(sb, "\\x", cp, 2);
      } else if (cp <= 0xffff) {
        hex(sb, "\\u", cp, 4);
      } else {
        hex(sb, "\\U", cp, 8);
      }
    }
    sb.append(quote);
  }

  private static void hex(StringBuilder sb, String prefix, int cp, int width) {
    String h = Integer.toHexString(cp);
    sb.append(prefix);
    for (int i = h.length(); i < width; i++) {
      sb.append('0');
    }
    sb.append(h);
  }

  /** Python's {@code str.isprintable()} for one code point. */
  static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SPACE_SEPARATOR:
        return false;
      default:
        return true;
    }
  }

  /** Python's {@code str.isspace()} for one code point. */
  static boolean isSpace(int cp) {
    if (cp <= 0x20) {
      return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f);
    }
    if (cp == 0x85 || cp == 0xa0) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * Python's {@code repr(float)}: the shortest digits that read back as the same double, in fixed
   * notation when the exponent is in [-4, 16), else as {@code 1.5e+16}.
   */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    } else if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    } else if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    BigDecimal best = null;
    RoundingMode[] modes = {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING};
    for (int precision = 1; precision <= 17 && best == null; precision++) {
      for (RoundingMode mode : modes) {
        BigDecimal candidate = exact.round(new MathContext(precision, mode));
        if (Double.parseDouble(candidate.toString()) == d
            && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = candidate;
        }
      }
    }
    BigDecimal shortest = best.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    StringBuilder sb = new StringBuilder(24);
    if (d < 0) {
      sb.append('-');
    }
    if (exponent >= -4 && exponent < 16) {
      if (exponent >= 0) {
        if (digits.length() > exponent + 1) {
          sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        } else {
          sb.append(digits);
          for (int i = digits.length(); i < exponent + 1; i++) {
            sb.append('0');
          }
          sb.append(".0");
        }
      } else {
        sb.append("0.");
        for (int i = 0; i < -exponent - 1; i++) {
          sb.append('0');
        }
        sb.append(digits);
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append(exponent < 0 ? "e-" : "e+");
      int abs = Math.abs(exponent);
      if (abs < 10) {
        sb.append('0');
      }
      sb.append(abs);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- strings as code points

  static int codePointLength(String s) {
    return s.codePointCount(0, s.length());
  }

  static List<Object> chars(String s) {
    List<Object> out = new ArrayList<>(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      out.add(s.substring(i, i + n));
      i += n;
    }
    return out;
  }

  // ---------------------------------------------------------------- equality and order

  static boolean eq(Object a, Object b) {
    return eq(a, b, 0);
  }

  private static boolean eq(Object a, Object b, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw tooDeep();
    }
    if (a == b) {
      return !(a instanceof Double && ((Double) a).isNaN());
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Undefined || b instanceof Undefined) {
      return a instanceof Undefined && b instanceof Undefined;
    }
    if (isNumber(a) && isNumber(b)) {
      return numberCompare(a, b) == 0;
    }
    if (a instanceof String || b instanceof String) {
      return a.equals(b);
    }
    if (a instanceof List && b instanceof List) {
      if ((a instanceof Tuple) != (b instanceof Tuple)) {
        return false;
      }
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!eq(x.get(i), y.get(i), depth + 1)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> x = (Map<?, ?>) a;
      Map<?, ?> y = (Map<?, ?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        Object other = mapGet(y, e.getKey());
        if (other == ABSENT || !eq(e.getValue(), other, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /**
   * Compares two numbers exactly (an int and a float compare by value, as in Python). Returns
   * {@link Integer#MIN_VALUE} when either is NaN: every ordering comparison is then false.
   */
  static int numberCompare(Object a, Object b) {
    if (a instanceof Double || b instanceof Double) {
      double x = a instanceof Double ? (Double) a : Double.NaN;
      double y = b instanceof Double ? (Double) b : Double.NaN;
      if ((a instanceof Double && Double.isNaN(x)) || (b instanceof Double && Double.isNaN(y))) {
        return Integer.MIN_VALUE;
      }
      if (a instanceof Double && b instanceof Double) {
        return Double.compare(x, y) == 0 || x == y ? 0 : (x < y ? -1 : 1);
      }
      double f = a instanceof Double ? x : y;
      if (Double.isInfinite(f)) {
        int sign = f > 0 ? 1 : -1;
        return a instanceof Double ? sign : -sign;
      }
      BigDecimal p = a instanceof Double ? new BigDecimal(x) : new BigDecimal(big(a));
      BigDecimal q = b instanceof Double ? new BigDecimal(y) : new BigDecimal(big(b));
      return Integer.signum(p.compareTo(q));
    }
    if (a instanceof Long && b instanceof Long) {
      return Long.compare((Long) a, (Long) b);
    }
    return Integer.signum(big(a).compareTo(big(b)));
  }

  /** Orders two values as Python's {@code <} does; fails for values Python cannot order. */
  static int compare(Object a, Object b, String op) {
    return compare(a, b, op, 0);
  }

  private static int compare(Object a, Object b, String op, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw tooDeep();
    }
    if (a instanceof Undefined) {
      throw ((Undefined) a).fail();
    }
    if (b instanceof Undefined) {
      throw ((Undefined) b).fail();
    }
    if (isNumber(a) && isNumber(b)) {
      int c = numberCompare(a, b);
      return c == Integer.MIN_VALUE ? 0 : c;
    }
    if (a instanceof String && b instanceof String) {
      return compareCodePoints((String) a, (String) b);
    }
    if (a instanceof List && b instanceof List && (a instanceof Tuple) == (b instanceof Tuple)) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      int n = Math.min(x.size(), y.size());
      for (int i = 0; i < n; i++) {
        if (!eq(x.get(i), y.get(i), depth + 1)) {
          return compare(x.get(i), y.get(i), op, depth + 1);
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    throw new EvalError("'" + op + "' not supported between instances of '" + typeName(a)
        + "' and '" + typeName(b) + "'");
  }

  static int compareCodePoints(String a, String b) {
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

  // ---------------------------------------------------------------- arithmetic

  static Object binary(Renderer r, String op, Object a, Object b) {
    if (a instanceof Undefined) {
      throw ((Undefined) a).fail();
    }
    if (b instanceof Undefined) {
      throw ((Undefined) b).fail();
    }
    switch (op) {
      case "+":
        return add(r, a, b);
      case "-":
        return arithmetic(op, a, b);
      case "*":
        return multiply(r, a, b);
      case "/":
        if (!isNumber(a) || !isNumber(b)) {
          throw unsupported(op, a, b);
        }
        double divisor = toDouble(b);
        if (divisor == 0) {
          throw new EvalError("division by zero");
        }
        return toDouble(a) / divisor;
      case "//":
      case "%":
        if (op.equals("%") && a instanceof String) {
          return r.checkString(PyFormat.percent((String) a, b));
        }
        return arithmetic(op, a, b);
      case "**":
        return power(a, b);
      default:
        throw new IllegalStateException(op);
    }
  }

  private static Object add(Renderer r, Object a, Object b) {
    if (isNumber(a) && isNumber(b)) {
      return arithmetic("+", a, b);
    }
    if (a instanceof String && b instanceof String) {
      return r.concat((String) a, (String) b);
    }
    if (a instanceof List && b instanceof List && (a instanceof Tuple) == (b instanceof Tuple)) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      r.chargeItems((long) x.size() + y.size());
      List<Object> out = new ArrayList<>(x.size() + y.size());
      out.addAll(x);
      out.addAll(y);
      return a instanceof Tuple ? Tuple.of(out) : out;
    }
    throw unsupported("+", a, b);
  }

  private static Object multiply(Renderer r, Object a, Object b) {
    if (isNumber(a) && isNumber(b)) {
      return arithmetic("*", a, b);
    }
    Object sequence = isIntLike(a) ? b : a;
    Object times = isIntLike(a) ? a : b;
    if (!isIntLike(times)) {
      throw unsupported("*", a, b);
    }
    long n = Math.max(0, toLong(times, "repeat count"));
    if (sequence instanceof String) {
      String s = (String) sequence;
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
    if (sequence instanceof List) {
      List<?> list = (List<?>) sequence;
      if (n * list.size() > Limits.MAX_LIST_ITEMS) {
        throw new EvalError("repeating a list of " + list.size() + " items " + n
            + " times exceeds the limit of " + Limits.MAX_LIST_ITEMS + " items");
      }
      r.chargeItems(n * list.size());
      List<Object> out = new ArrayList<>((int) (n * list.size()));
      for (long i = 0; i < n; i++) {
        out.addAll(list);
      }
      return sequence instanceof Tuple ? Tuple.of(out) : out;
    }
    throw unsupported("*", a, b);
  }

  /** Arithmetic on two numbers (bools count as 0 and 1), ints growing past 64 bits as Python's do. */
  static Object arithmetic(String op, Object a, Object b) {
    if (!isNumber(a) || !isNumber(b)) {
      throw unsupported(op, a, b);
    }
    if (a instanceof Double || b instanceof Double) {
      double x = toDouble(a);
      double y = toDouble(b);
      switch (op) {
        case "+":
          return x + y;
        case "-":
          return x - y;
        case "*":
          return x * y;
        case "//":
          if (y == 0) {
            throw new EvalError("float floor division by zero");
          }
          return Math.floor(x / y);
        case "%":
          if (y == 0) {
            throw new EvalError("float modulo");
          }
          double m = x % y;
          if (m != 0 && (m < 0) != (y < 0)) {
            m += y;
          }
          return m;
        default:
          throw new IllegalStateException(op);
      }
    }
    if (a instanceof Long && b instanceof Long) {
      long x = (Long) a;
      long y = (Long) b;
      try {
        switch (op) {
          case "+":
            return Math.addExact(x, y);
          case "-":
            return Math.subtractExact(x, y);
          case "*":
            return Math.multiplyExact(x, y);
          case "//":
            if (y == 0) {
              throw new EvalError("integer division or modulo by zero");
            }
            if (x == Long.MIN_VALUE && y == -1) {
              break;
            }
            return Math.floorDiv(x, y);
          case "%":
            if (y == 0) {
              throw new EvalError("integer division or modulo by zero");
            }
            return Math.floorMod(x, y);
          default:
            throw new IllegalStateException(op);
        }
      } catch (ArithmeticException overflow) {
        // fall through to arbitrary precision
      }
    }
    BigInteger x = big(a);
    BigInteger y = big(b);
    switch (op) {
      case "+":
        return integer(x.add(y));
      case "-":
        return integer(x.subtract(y));
      case "*":
        if (x.bitLength() + y.bitLength() > 65536) {
          throw new EvalError("integer result too large");
        }
        return integer(x.multiply(y));
      case "//":
      case "%":
        if (y.signum() == 0) {
          throw new EvalError("integer division or modulo by zero");
        }
        BigInteger[] qr = x.divideAndRemainder(y);
        BigInteger q = qr[0];
        BigInteger rem = qr[1];
        if (rem.signum() != 0 && rem.signum() != y.signum()) {
          q = q.subtract(BigInteger.ONE);
          rem = rem.add(y);
        }
        return integer(op.equals("//") ? q : rem);
      default:
        throw new IllegalStateException(op);
    }
  }

  private static Object power(Object a, Object b) {
    if (!isNumber(a) || !isNumber(b)) {
      throw unsupported("**", a, b);
    }
    if (isIntLike(a) && isIntLike(b) && big(b).signum() >= 0) {
      BigInteger base = big(a);
      BigInteger exponent = big(b);
      if (base.abs().compareTo(BigInteger.ONE) <= 0) {
        if (exponent.signum() == 0) {
          return 1L;
        }
        if (base.signum() >= 0) {
          return integer(base);
        }
        return exponent.testBit(0) ? -1L : 1L;
      }
      if (exponent.bitLength() > 31 || (long) base.bitLength() * exponent.intValue() > 65536) {
        throw new EvalError("integer result too large");
      }
      return integer(base.pow(exponent.intValue()));
    }
    double x = toDouble(a);
    double y = toDouble(b);
    if (x == 0 && y < 0) {
      throw new EvalError("0.0 cannot be raised to a negative power");
    }
    return Math.pow(x, y);
  }

  static Object negate(Object v) {
    if (v instanceof Undefined) {
      throw ((Undefined) v).fail();
    }
    if (v instanceof Double) {
      return -(Double) v;
    }
    if (isIntLike(v)) {
      return integer(big(v).negate());
    }
    throw new EvalError("bad operand type for unary -: '" + typeName(v) + "'");
  }

  static Object plus(Object v) {
    if (v instanceof Undefined) {
      throw ((Undefined) v).fail();
    }
    if (v instanceof Double || v instanceof Long || v instanceof BigInteger) {
      return v;
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? 1L : 0L;
    }
    throw new EvalError("bad operand type for unary +: '" + typeName(v) + "'");
  }

  private static EvalError unsupported(String op, Object a, Object b) {
    return new EvalError("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '"
        + typeName(b) + "'");
  }

  // ---------------------------------------------------------------- collections

  /** Python's {@code item in container}. */
  static boolean contains(Object container, Object item) {
    if (container instanceof String) {
      if (item instanceof Undefined) {
        throw ((Undefined) item).fail();
      }
      if (!(item instanceof String)) {
        throw new EvalError("'in <string>' requires string as left operand, not " + typeName(item));
      }
      return ((String) container).contains((String) item);
    }
    if (container instanceof Map) {
      if ((item instanceof List && !(item instanceof Tuple)) || item instanceof Map || item instanceof Namespace) {
        throw new EvalError("unhashable type: '" + typeName(item) + "'");
      }
      return mapGet((Map<?, ?>) container, item) != ABSENT;
    }
    if (container instanceof List) {
      for (Object element : (List<?>) container) {
        if (element == item || eq(element, item)) {
          return true;
        }
      }
      return false;
    }
    if (container instanceof Undefined) {
      return false;
    }
    throw new EvalError("argument of type '" + typeName(container) + "' is not iterable");
  }

  /** The items a {@code for} loop visits: list items, string characters, dict keys. */
  static List<Object> iterate(Object v) {
    if (v instanceof List) {
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) v;
      return list;
    } else if (v instanceof Map) {
      return new ArrayList<>(((Map<?, ?>) v).keySet());
    } else if (v instanceof String) {
      return chars((String) v);
    } else if (v instanceof Undefined) {
      return Collections.emptyList();
    }
    throw new EvalError("'" + typeName(v) + "' object is not iterable");
  }

  static boolean isIterable(Object v) {
    return v instanceof List || v instanceof Map || v instanceof String || v instanceof Undefined;
  }

  static int len(Object v) {
    if (v instanceof String) {
      return codePointLength((String) v);
    } else if (v instanceof Collection) {
      return ((Collection<?>) v).size();
    } else if (v instanceof Map) {
      return ((Map<?, ?>) v).size();
    } else if (v instanceof Undefined) {
      return 0;
    }
    throw new EvalError("object of type '" + typeName(v) + "' has no len()");
  }

  /** Looks a key up with Python's notion of equal keys ({@code 1}, {@code 1.0} and {@code True}). */
  static Object mapGet(Map<?, ?> map, Object key) {
    Object value = map.get(key);
    if (value != null || map.containsKey(key)) {
      return value;
    }
    if (isNumber(key)) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (isNumber(e.getKey()) && numberCompare(e.getKey(), key) == 0) {
          return e.getValue();
        }
      }
    }
    return ABSENT;
  }

  /** Jinja's {@code obj.name}: an attribute (a method) first, then an item. */
  static Object getAttr(Renderer r, Object obj, String name) {
    if (obj instanceof Undefined) {
      throw ((Undefined) obj).fail();
    }
    if (obj instanceof Map) {
      if (Methods.isDictMethod(name)) {
        return new Methods.Bound(obj, name);
      }
      Map<?, ?> map = (Map<?, ?>) obj;
      Object value = mapGet(map, name);
      if (value != ABSENT) {
        r.accessed(map, name);
        return value;
      }
      return Undefined.attribute(obj, name);
    }
    if (obj instanceof Namespace) {
      Map<String, Object> attributes = ((Namespace) obj).attributes;
      Object value = attributes.get(name);
      return value != null || attributes.containsKey(name) ? value : Undefined.attribute(obj, name);
    }
    if (obj instanceof LoopContext) {
      return ((LoopContext) obj).attribute(name);
    }
    if (Methods.has(obj, name)) {
      return new Methods.Bound(obj, name);
    }
    return Undefined.attribute(obj, name);
  }

  /** Jinja's {@code obj[key]}: an item first, then (for a string key) an attribute. */
  static Object getItem(Renderer r, Object obj, Object key) {
    if (obj instanceof Undefined) {
      throw ((Undefined) obj).fail();
    }
    if (obj instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) obj;
      Object value = mapGet(map, key);
      if (value != ABSENT) {
        r.accessed(map, key);
        return value;
      }
      if (key instanceof String && Methods.isDictMethod((String) key)) {
        return new Methods.Bound(obj, (String) key);
      }
      return key instanceof String ? Undefined.attribute(obj, (String) key) : Undefined.item(obj, key);
    }
    if ((obj instanceof List || obj instanceof String) && isIntLike(key)) {
      long index = toLong(key, "index");
      int size = obj instanceof List ? ((List<?>) obj).size() : codePointLength((String) obj);
      if (index < 0) {
        index += size;
      }
      if (index < 0 || index >= size) {
        return Undefined.item(obj, key);
      }
      if (obj instanceof List) {
        return ((List<?>) obj).get((int) index);
      }
      String s = (String) obj;
      int start = s.offsetByCodePoints(0, (int) index);
      return s.substring(start, s.offsetByCodePoints(start, 1));
    }
    if (key instanceof String) {
      return getAttr(r, obj, (String) key);
    }
    return Undefined.item(obj, key);
  }

  /** Python's {@code obj[start:stop:step]} on a list, tuple or string. */
  static Object slice(Object obj, Object start, Object stop, Object step) {
    if (obj instanceof Undefined) {
      throw ((Undefined) obj).fail();
    }
    List<?> items;
    if (obj instanceof String) {
      items = chars((String) obj);
    } else if (obj instanceof List) {
      items = (List<?>) obj;
    } else {
      throw new EvalError("'" + typeName(obj) + "' object is not subscriptable");
    }
    int length = items.size();
    long st = sliceIndex(step, 1);
    if (st == 0) {
      throw new EvalError("slice step cannot be zero");
    }
    long lower = st > 0 ? 0 : -1;
    long upper = st > 0 ? length : length - 1;
    long from = adjust(start, st > 0 ? lower : upper, length, lower, upper);
    long to = adjust(stop, st > 0 ? upper : lower, length, lower, upper);
    List<Object> out = new ArrayList<>();
    for (long i = from; st > 0 ? i < to : i > to; i += st) {
      out.add(items.get((int) i));
    }
    if (obj instanceof String) {
      StringBuilder sb = new StringBuilder();
      for (Object c : out) {
        sb.append((String) c);
      }
      return sb.toString();
    }
    return obj instanceof Tuple ? Tuple.of(out) : out;
  }

  private static long sliceIndex(Object v, long fallback) {
    if (v == null || v == Args.MISSING) {
      return fallback;
    }
    if (v instanceof Undefined) {
      throw ((Undefined) v).fail();
    }
    if (!isIntLike(v)) {
      throw new EvalError("slice indices must be integers or None, not " + typeName(v));
    }
    BigInteger b = big(v);
    return b.bitLength() > 40 ? (b.signum() < 0 ? -(1L << 40) : 1L << 40) : b.longValue();
  }

  private static long adjust(Object index, long fallback, long length, long lower, long upper) {
    if (index == null || index == Args.MISSING) {
      return fallback;
    }
    long i = sliceIndex(index, 0);
    if (i < 0) {
      i += length;
      return Math.max(i, lower);
    }
    return Math.min(i, upper);
  }

  // ---------------------------------------------------------------- values from callers

  /**
   * Copies a caller's value into the renderer's value model: numbers become {@code Long} or
   * {@code Double}, collections become fresh mutable lists and insertion-ordered maps (so a template
   * never changes the caller's data), and anything else is refused with the path to it.
   */
  static Object importValue(Object v, String path, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw new EvalError("the value at " + path + " is nested deeper than " + Limits.MAX_VALUE_DEPTH
          + " levels (does a list or map contain itself?)");
    }
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long
        || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger) {
      return integer((BigInteger) v);
    }
    if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof CharSequence || v instanceof Character) {
      return v.toString();
    }
    if (v instanceof Map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        Object key = e.getKey();
        String keyPath = path + "[" + repr(key instanceof CharSequence ? key.toString() : key) + "]";
        if (key != null && !(key instanceof CharSequence) && !(key instanceof Number)
            && !(key instanceof Boolean) && !(key instanceof Character)) {
          throw new EvalError("the key at " + keyPath + " has type " + key.getClass().getName()
              + "; map keys must be strings, numbers or booleans");
        }
        out.put(importValue(key, keyPath, depth + 1), importValue(e.getValue(), keyPath, depth + 1));
      }
      return out;
    }
    if (v instanceof Collection || v instanceof Object[]) {
      Iterable<?> items = v instanceof Object[] ? java.util.Arrays.asList((Object[]) v) : (Collection<?>) v;
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Iterator<?> it = items.iterator(); it.hasNext(); i++) {
        out.add(importValue(it.next(), path + "[" + i + "]", depth + 1));
      }
      return out;
    }
    throw new EvalError("the value at " + path + " has type " + v.getClass().getName()
        + "; chat templates take strings, numbers, booleans, null, lists and maps");
  }
}

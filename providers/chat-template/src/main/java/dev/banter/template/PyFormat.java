package dev.banter.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Python's two string-formatting languages: {@code "%s and %d" % (a, b)} (also Jinja's
 * {@code format} filter) and {@code "{} and {:>5}".format(a, b)}. Floats round half-even on their
 * exact binary value, as Python does.
 */
final class PyFormat {
  private PyFormat() {}

  // ---------------------------------------------------------------- printf style

  /** {@code format % values}; a tuple supplies several values, a dict named ones. */
  static String percent(String format, Object values) {
    List<?> positional = values instanceof Tuple ? (Tuple) values : null;
    Map<?, ?> named = values instanceof Map ? (Map<?, ?>) values : null;
    int next = 0;
    boolean usedSingle = false;
    StringBuilder sb = new StringBuilder(format.length() + 16);
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i++);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i >= format.length()) {
        throw new EvalError("incomplete format");
      }
      Object arg = Args.MISSING;
      if (format.charAt(i) == '(') {
        int close = format.indexOf(')', i);
        if (close < 0 || named == null) {
          throw new EvalError(named == null ? "format requires a mapping" : "incomplete format key");
        }
        Object key = format.substring(i + 1, close);
        arg = Py.mapGet(named, key);
        if (arg == Py.ABSENT) {
          throw new EvalError("KeyError: " + Py.repr(key));
        }
        i = close + 1;
      }
      Spec spec = new Spec();
      while (i < format.length() && "#0- +".indexOf(format.charAt(i)) >= 0) {
        char flag = format.charAt(i++);
        if (flag == '#') {
          spec.alternate = true;
        } else if (flag == '0') {
          spec.zero = true;
        } else if (flag == '-') {
          spec.align = '<';
        } else {
          spec.sign = flag;
        }
      }
      int width = 0;
      while (i < format.length() && Character.isDigit(format.charAt(i))) {
        width = Math.min(Limits.MAX_STRING_CHARS + 1, width * 10 + (format.charAt(i++) - '0'));
      }
      spec.width = width;
      if (i < format.length() && format.charAt(i) == '.') {
        i++;
        int precision = 0;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
          precision = Math.min(Limits.MAX_STRING_CHARS + 1, precision * 10 + (format.charAt(i++) - '0'));
        }
        spec.precision = precision;
      }
      while (i < format.length() && "hlL".indexOf(format.charAt(i)) >= 0) {
        i++;
      }
      if (i >= format.length()) {
        throw new EvalError("incomplete format");
      }
      char type = format.charAt(i++);
      if (type == '%') {
        sb.append('%');
        continue;
      }
      if (arg == Args.MISSING) {
        if (positional != null) {
          if (next >= positional.size()) {
            throw new EvalError("not enough arguments for format string");
          }
          arg = positional.get(next++);
        } else if (named != null) {
          arg = named;
          usedSingle = true;
        } else {
          if (usedSingle) {
            throw new EvalError("not enough arguments for format string");
          }
          arg = values;
          usedSingle = true;
        }
      }
      if (spec.align == 0 && spec.zero && "diouxXeEfFgG".indexOf(type) >= 0) {
        spec.fill = "0";
        spec.align = '=';
      }
      spec.type = type == 'i' || type == 'u' ? 'd' : type;
      switch (type) {
        case 's':
          sb.append(pad(truncate(Py.str(arg), spec.precision), spec, '>'));
          break;
        case 'r':
        case 'a':
          sb.append(pad(truncate(Py.repr(arg), spec.precision), spec, '>'));
          break;
        case 'c':
          sb.append(pad(character(arg), spec, '>'));
          break;
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X':
          if (!Py.isNumber(arg)) {
            throw new EvalError("%" + type + " format: a number is required, not " + Py.typeName(arg));
          }
          spec.precision = -1;
          sb.append(formatInteger(arg instanceof Double ? truncateToInt((Double) arg) : Py.big(arg), spec));
          break;
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
          if (!Py.isNumber(arg)) {
            throw new EvalError("must be real number, not " + Py.typeName(arg));
          }
          sb.append(formatFloat(Py.toDouble(arg), spec));
          break;
        default:
          throw new EvalError("unsupported format character '" + type + "'");
      }
      if (sb.length() > Limits.MAX_STRING_CHARS) {
        throw new EvalError("formatting produced more than " + Limits.MAX_STRING_CHARS + " chars");
      }
    }
    if (positional != null && next < positional.size()) {
      throw new EvalError("not all arguments converted during string formatting");
    }
    boolean mappingLike = named != null || (values instanceof List && positional == null);
    if (positional == null && !mappingLike && !usedSingle) {
      throw new EvalError("not all arguments converted during string formatting");
    }
    return sb.toString();
  }

  private static BigInteger truncateToInt(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new EvalError("cannot convert float " + Py.floatRepr(d) + " to integer");
    }
    return new BigDecimal(d).toBigInteger();
  }

  private static String character(Object arg) {
    if (arg instanceof String && Py.codePointLength((String) arg) == 1) {
      return (String) arg;
    }
    if (Py.isIntLike(arg)) {
      long cp = Py.toLong(arg, "%c");
      if (cp < 0 || cp > Character.MAX_CODE_POINT) {
        throw new EvalError("%c arg not in range(0x110000)");
      }
      return new String(Character.toChars((int) cp));
    }
    throw new EvalError("%c requires an int or a single character");
  }

  private static String truncate(String s, int precision) {
    return precision >= 0 && precision < Py.codePointLength(s) ? Text.codePointSlice(s, 0, precision) : s;
  }

  // ---------------------------------------------------------------- str.format

  /** {@code format.format(*args, **kwargs)}. */
  static String format(String format, Args args) {
    StringBuilder sb = new StringBuilder(format.length() + 16);
    int auto = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c == '}') {
        if (i + 1 < format.length() && format.charAt(i + 1) == '}') {
          sb.append('}');
          i += 2;
          continue;
        }
        throw new EvalError("single '}' encountered in format string");
      }
      if (c != '{') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 < format.length() && format.charAt(i + 1) == '{') {
        sb.append('{');
        i += 2;
        continue;
      }
      int close = format.indexOf('}', i);
      if (close < 0) {
        throw new EvalError("expected '}' before end of string");
      }
      String field = format.substring(i + 1, close);
      i = close + 1;
      String specText = "";
      int colon = field.indexOf(':');
      if (colon >= 0) {
        specText = field.substring(colon + 1);
        field = field.substring(0, colon);
      }
      char conversion = 0;
      int bang = field.indexOf('!');
      if (bang >= 0) {
        if (bang + 2 != field.length()) {
          throw new EvalError("expected ':' after conversion specifier");
        }
        conversion = field.charAt(bang + 1);
        field = field.substring(0, bang);
      }
      Object value = fieldValue(field, args, auto);
      if (isAutoField(field)) {
        auto++;
      }
      if (conversion == 'r' || conversion == 'a') {
        value = Py.repr(value);
      } else if (conversion == 's') {
        value = Py.str(value);
      } else if (conversion != 0) {
        throw new EvalError("unknown conversion specifier " + conversion);
      }
      sb.append(formatValue(value, specText));
      if (sb.length() > Limits.MAX_STRING_CHARS) {
        throw new EvalError("formatting produced more than " + Limits.MAX_STRING_CHARS + " chars");
      }
    }
    return sb.toString();
  }

  private static boolean isAutoField(String field) {
    return field.isEmpty() || field.charAt(0) == '.' || field.charAt(0) == '[';
  }

  private static Object fieldValue(String field, Args args, int auto) {
    int end = 0;
    while (end < field.length() && field.charAt(end) != '.' && field.charAt(end) != '[') {
      end++;
    }
    String head = field.substring(0, end);
    Object value;
    if (head.isEmpty()) {
      if (auto >= args.positional.size()) {
        throw new EvalError("Replacement index " + auto + " out of range for positional args tuple");
      }
      value = args.positional.get(auto);
    } else if (head.chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(head.length() > 9 ? "999999999" : head);
      if (index >= args.positional.size()) {
        throw new EvalError("Replacement index " + index + " out of range for positional args tuple");
      }
      value = args.positional.get(index);
    } else {
      if (!args.keywords.containsKey(head)) {
        throw new EvalError("KeyError: '" + head + "'");
      }
      value = args.keywords.get(head);
    }
    int i = end;
    while (i < field.length()) {
      if (field.charAt(i) == '.') {
        int j = i + 1;
        while (j < field.length() && field.charAt(j) != '.' && field.charAt(j) != '[') {
          j++;
        }
        String attribute = field.substring(i + 1, j);
        value = value instanceof Map ? Py.mapGet((Map<?, ?>) value, attribute) : Py.ABSENT;
        if (value == Py.ABSENT) {
          throw new EvalError("no attribute '" + attribute + "' in format field");
        }
        i = j;
      } else {
        int close = field.indexOf(']', i);
        if (close < 0) {
          throw new EvalError("missing ']' in format string");
        }
        String key = field.substring(i + 1, close);
        Object k = !key.isEmpty() && key.chars().allMatch(Character::isDigit) && key.length() < 10
            ? (Object) Long.parseLong(key) : key;
        if (value instanceof List && k instanceof Long) {
          List<?> list = (List<?>) value;
          long index = (Long) k;
          if (index >= list.size()) {
            throw new EvalError("list index out of range");
          }
          value = list.get((int) index);
        } else if (value instanceof Map) {
          value = Py.mapGet((Map<?, ?>) value, k);
          if (value == Py.ABSENT) {
            throw new EvalError("KeyError: " + Py.repr(k));
          }
        } else {
          throw new EvalError("'" + Py.typeName(value) + "' object is not subscriptable");
        }
        i = close + 1;
      }
    }
    return value;
  }

  /** Python's {@code format(value, spec)}. */
  static String formatValue(Object value, String specText) {
    Spec spec = Spec.parse(specText);
    if (value instanceof Undefined) {
      throw ((Undefined) value).fail();
    }
    if (value instanceof Boolean && spec.type == 0) {
      return pad(Py.str(value), spec, '<');
    }
    if (Py.isIntLike(value)) {
      if (spec.type == 0 || "bcdoxXn".indexOf(spec.type) >= 0) {
        if (spec.precision >= 0) {
          throw new EvalError("Precision not allowed in integer format specifier");
        }
        if (spec.type == 'c') {
          return pad(character(value), spec, '<');
        }
        return formatInteger(Py.big(value), spec);
      }
      return formatFloat(Py.toDouble(value), spec);
    }
    if (value instanceof Double) {
      if (spec.type == 0 && spec.precision < 0) {
        return pad(signed(Py.floatRepr((Double) value), spec), spec, '>');
      }
      if (spec.type != 0 && "eEfFgG%".indexOf(spec.type) < 0) {
        throw new EvalError("Unknown format code '" + spec.type + "' for object of type 'float'");
      }
      return formatFloat((Double) value, spec);
    }
    if (value instanceof String) {
      if (spec.type != 0 && spec.type != 's') {
        throw new EvalError("Unknown format code '" + spec.type + "' for object of type 'str'");
      }
      return pad(truncate((String) value, spec.precision), spec, '<');
    }
    if (!specText.isEmpty()) {
      throw new EvalError("unsupported format string passed to " + Py.typeName(value) + ".__format__");
    }
    return Py.str(value);
  }

  /** A parsed format specification. */
  private static final class Spec {
    String fill = " ";
    char align;
    char sign = '-';
    boolean alternate;
    boolean zero;
    int width;
    char grouping;
    int precision = -1;
    char type;

    static Spec parse(String s) {
      Spec spec = new Spec();
      int i = 0;
      if (s.length() >= 2 && "<>=^".indexOf(s.charAt(1)) >= 0 && s.codePointCount(0, 2) == 2) {
        spec.fill = s.substring(0, 1);
        spec.align = s.charAt(1);
        i = 2;
      } else if (!s.isEmpty() && "<>=^".indexOf(s.charAt(0)) >= 0) {
        spec.align = s.charAt(0);
        i = 1;
      }
      if (i < s.length() && "+- ".indexOf(s.charAt(i)) >= 0) {
        spec.sign = s.charAt(i++);
      }
      if (i < s.length() && s.charAt(i) == '#') {
        spec.alternate = true;
        i++;
      }
      if (i < s.length() && s.charAt(i) == '0') {
        spec.zero = true;
        i++;
      }
      int width = 0;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        width = Math.min(Limits.MAX_STRING_CHARS + 1, width * 10 + (s.charAt(i++) - '0'));
      }
      spec.width = width;
      if (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == '_')) {
        spec.grouping = s.charAt(i++);
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int precision = 0;
        int digits = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          precision = Math.min(Limits.MAX_STRING_CHARS + 1, precision * 10 + (s.charAt(i++) - '0'));
          digits++;
        }
        if (digits == 0) {
          throw new EvalError("Format specifier missing precision");
        }
        spec.precision = precision;
      }
      if (i < s.length()) {
        spec.type = s.charAt(i++);
      }
      if (i < s.length()) {
        throw new EvalError("Invalid format specifier '" + s + "'");
      }
      if (spec.zero && spec.align == 0) {
        spec.fill = "0";
        spec.align = '=';
      }
      return spec;
    }
  }

  private static String formatInteger(BigInteger value, Spec spec) {
    String digits;
    String prefix = "";
    BigInteger abs = value.abs();
    switch (spec.type) {
      case 'x':
      case 'X':
        digits = abs.toString(16);
        prefix = spec.alternate ? "0x" : "";
        if (spec.type == 'X') {
          digits = digits.toUpperCase(java.util.Locale.ROOT);
          prefix = prefix.toUpperCase(java.util.Locale.ROOT);
        }
        break;
      case 'o':
        digits = abs.toString(8);
        prefix = spec.alternate ? "0o" : "";
        break;
      case 'b':
        digits = abs.toString(2);
        prefix = spec.alternate ? "0b" : "";
        break;
      default:
        digits = group(abs.toString(), spec.grouping);
        break;
    }
    String sign = value.signum() < 0 ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
    return padNumber(sign + prefix, digits, spec);
  }

  private static String formatFloat(double d, Spec spec) {
    char type = spec.type == 0 ? 'g' : spec.type;
    int precision = spec.precision < 0 ? 6 : spec.precision;
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    double abs = Math.abs(d);
    String body;
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      body = Double.isNaN(d) ? "nan" : "inf";
      if (Character.isUpperCase(type)) {
        body = body.toUpperCase(java.util.Locale.ROOT);
      }
      negative = !Double.isNaN(d) && d < 0;
    } else {
      switch (type) {
        case 'f':
        case 'F':
          body = fixed(abs, precision, spec.alternate);
          break;
        case 'e':
        case 'E':
          body = exponential(abs, precision, spec.alternate);
          break;
        case '%':
          body = fixed(abs * 100, precision, spec.alternate) + "%";
          break;
        case 'g':
        case 'G':
          body = general(abs, precision == 0 ? 1 : precision, spec.alternate, spec.type == 0);
          break;
        default:
          throw new EvalError("Unknown format code '" + type + "' for object of type 'float'");
      }
      if (Character.isUpperCase(type)) {
        body = body.toUpperCase(java.util.Locale.ROOT);
      }
      if (spec.grouping != 0) {
        int dot = body.indexOf('.');
        int end = dot >= 0 ? dot : body.length();
        if (body.indexOf('e') < 0 && body.indexOf('E') < 0) {
          body = group(body.substring(0, end), spec.grouping) + body.substring(end);
        }
      }
    }
    String sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
    return padNumber(sign, body, spec);
  }

  private static String fixed(double abs, int precision, boolean alternate) {
    if (precision > 1000) {
      throw new EvalError("precision too large");
    }
    String s = new BigDecimal(abs).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    return alternate && precision == 0 ? s + "." : s;
  }

  private static String exponential(double abs, int precision, boolean alternate) {
    if (precision > 1000) {
      throw new EvalError("precision too large");
    }
    String digits;
    int exponent;
    if (abs == 0) {
      StringBuilder zeros = new StringBuilder("0");
      for (int i = 0; i < precision; i++) {
        zeros.append('0');
      }
      digits = zeros.toString();
      exponent = 0;
    } else {
      BigDecimal rounded = new BigDecimal(abs).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
      String unscaled = rounded.unscaledValue().toString();
      exponent = unscaled.length() - 1 - rounded.scale();
      StringBuilder sb = new StringBuilder(unscaled);
      while (sb.length() < precision + 1) {
        sb.append('0');
      }
      digits = sb.substring(0, precision + 1);
    }
    StringBuilder out = new StringBuilder();
    out.append(digits.charAt(0));
    if (precision > 0 || alternate) {
      out.append('.');
    }
    out.append(digits, 1, digits.length());
    out.append(exponent < 0 ? "e-" : "e+");
    int e = Math.abs(exponent);
    if (e < 10) {
      out.append('0');
    }
    out.append(e);
    return out.toString();
  }

  private static String general(double abs, int precision, boolean alternate, boolean noType) {
    if (precision > 1000) {
      throw new EvalError("precision too large");
    }
    int exponent;
    if (abs == 0) {
      exponent = 0;
    } else {
      BigDecimal rounded = new BigDecimal(abs).round(new MathContext(precision, RoundingMode.HALF_EVEN));
      exponent = rounded.precision() - rounded.scale() - 1;
    }
    String s;
    if (exponent >= -4 && exponent < precision) {
      s = fixed(abs, precision - 1 - exponent, alternate);
    } else {
      s = exponential(abs, precision - 1, alternate);
    }
    if (!alternate) {
      int e = s.indexOf('e');
      String mantissa = e >= 0 ? s.substring(0, e) : s;
      String tail = e >= 0 ? s.substring(e) : "";
      if (mantissa.indexOf('.') >= 0) {
        int end = mantissa.length();
        while (mantissa.charAt(end - 1) == '0') {
          end--;
        }
        if (mantissa.charAt(end - 1) == '.') {
          end--;
        }
        mantissa = mantissa.substring(0, end);
      }
      if (noType && tail.isEmpty() && mantissa.indexOf('.') < 0) {
        mantissa += ".0";
      }
      s = mantissa + tail;
    }
    return s;
  }

  private static String group(String digits, char separator) {
    if (separator == 0 || digits.length() <= 3) {
      return digits;
    }
    StringBuilder sb = new StringBuilder();
    int first = digits.length() % 3;
    if (first > 0) {
      sb.append(digits, 0, first);
    }
    for (int i = first; i < digits.length(); i += 3) {
      if (sb.length() > 0) {
        sb.append(separator);
      }
      sb.append(digits, i, i + 3);
    }
    return sb.toString();
  }

  private static String signed(String repr, Spec spec) {
    if (repr.startsWith("-") || spec.sign == '-') {
      return repr;
    }
    return (spec.sign == '+' ? "+" : " ") + repr;
  }

  private static String padNumber(String sign, String body, Spec spec) {
    if (spec.align == '=') {
      int length = Py.codePointLength(sign) + Py.codePointLength(body);
      StringBuilder sb = new StringBuilder(sign);
      for (int i = length; i < spec.width; i++) {
        sb.append(spec.fill);
      }
      return sb.append(body).toString();
    }
    return pad(sign + body, spec, '>');
  }

  private static String pad(String s, Spec spec, char defaultAlign) {
    int length = Py.codePointLength(s);
    if (spec.width <= length) {
      return s;
    }
    if (spec.width > Limits.MAX_STRING_CHARS) {
      throw new EvalError("format width " + spec.width + " exceeds the limit of " + Limits.MAX_STRING_CHARS);
    }
    char align = spec.align == 0 || spec.align == '=' ? defaultAlign : spec.align;
    int margin = spec.width - length;
    int left = align == '>' ? margin : align == '^' ? margin / 2 : 0;
    StringBuilder sb = new StringBuilder(spec.width);
    for (int i = 0; i < left; i++) {
      sb.append(spec.fill);
    }
    sb.append(s);
    for (int i = left; i < margin; i++) {
      sb.append(spec.fill);
    }
    return sb.toString();
  }
}

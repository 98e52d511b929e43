package dev.banter.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** Values as text: Python's {@code str(v)}, which {@code {{ v }}} prints, and {@code repr(v)}. */
final class Repr {
  private Repr() {}

  static String str(Object v) {
    if (v instanceof String s) {
      return s;
    } else if (v instanceof Undefined) {
      return "";
    }
    return repr(v);
  }

  static String repr(Object v) {
    StringBuilder sb = new StringBuilder();
    append(sb, v, 0);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object v, int depth) {
    if (depth > Limits.MAX_VALUE_DEPTH) {
      throw Limits.valueTooDeep();
    }
    if (sb.length() > Limits.MAX_STRING_CHARS) {
      throw new EvalError("printing a value produced more than " + Limits.MAX_STRING_CHARS + " chars");
    }
    if (v == null) {
      sb.append("None");
    } else if (v instanceof Boolean b) {
      sb.append(b ? "True" : "False");
    } else if (v instanceof Double d) {
      sb.append(floatRepr(d));
    } else if (v instanceof String s) {
      appendString(sb, s);
    } else if (v instanceof Tuple t) {
      sb.append('(');
      for (int i = 0; i < t.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        append(sb, t.get(i), depth + 1);
      }
      sb.append(t.size() == 1 ? ",)" : ")");
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        append(sb, list.get(i), depth + 1);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        append(sb, e.getKey(), depth + 1);
        sb.append(": ");
        append(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Namespace ns) {
      sb.append("<Namespace ");
      append(sb, ns.attributes, depth + 1);
      sb.append('>');
    } else if (v instanceof Func f) {
      sb.append("<function ").append(f.name()).append('>');
    } else if (v instanceof Undefined) {
      sb.append("Undefined");
    } else {
      sb.append(v);
    }
  }

  private static void appendString(StringBuilder sb, String s) {
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
  private static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
      default -> true;
    };
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
}

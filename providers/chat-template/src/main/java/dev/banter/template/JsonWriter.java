package dev.banter.template;

import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, which is what Hugging Face's and llama.cpp's {@code tojson} filter
 * call: separators {@code ", "} and {@code ": "} (or {@code ","} when indenting), floats as Python's
 * {@code repr}, non-ASCII characters kept as they are unless {@code ensure_ascii} is set.
 */
final class JsonWriter {
  private final String indent;
  private final String itemSeparator;
  private final boolean ensureAscii;
  private final StringBuilder out = new StringBuilder();

  /** @param indent the text repeated per level, or {@code null} to write everything on one line */
  JsonWriter(String indent, boolean ensureAscii) {
    this.indent = indent;
    this.itemSeparator = indent == null ? ", " : ",";
    this.ensureAscii = ensureAscii;
  }

  String write(Object value) {
    out.setLength(0);
    value(value, 0);
    return out.toString();
  }

  private void value(Object v, int level) {
    if (level > Limits.MAX_VALUE_DEPTH) {
      throw Limits.valueTooDeep();
    }
    if (out.length() > Limits.MAX_STRING_CHARS) {
      throw new EvalError("tojson produced more than " + Limits.MAX_STRING_CHARS + " chars");
    }
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (v instanceof Long) {
      out.append(v);
    } else if (v instanceof Double d) {
      out.append(number(d));
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(itemSeparator);
        }
        newline(level + 1);
        value(list.get(i), level + 1);
      }
      newline(level);
      out.append(']');
    } else if (v instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(itemSeparator);
        }
        first = false;
        newline(level + 1);
        string(key(e.getKey()));
        out.append(": ");
        value(e.getValue(), level + 1);
      }
      newline(level);
      out.append('}');
    } else if (v instanceof Undefined u) {
      throw new EvalError("Object of type Undefined is not JSON serializable (" + u.hint + ")");
    } else {
      throw new EvalError("Object of type " + Types.name(v) + " is not JSON serializable");
    }
  }

  private static String key(Object k) {
    if (k instanceof String s) {
      return s;
    } else if (k == null) {
      return "null";
    } else if (k instanceof Boolean b) {
      return b ? "true" : "false";
    } else if (k instanceof Long) {
      return k.toString();
    } else if (k instanceof Double d) {
      return number(d);
    }
    throw new EvalError("keys must be str, int, float, bool or None, not " + Types.name(k));
  }

  private static String number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    } else if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return Repr.floatRepr(d);
  }

  private void newline(int level) {
    if (indent == null) {
      return;
    }
    out.append('\n');
    for (int i = 0; i < level; i++) {
      out.append(indent);
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || (ensureAscii && c > 0x7e)) {
            String h = Integer.toHexString(c);
            out.append("\\u").append("0000", 0, 4 - h.length()).append(h);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}

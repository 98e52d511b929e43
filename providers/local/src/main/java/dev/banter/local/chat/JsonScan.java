package dev.banter.local.chat;

import java.util.List;
import java.util.Map;

/**
 * A JSON scanner that tells a complete value from a valid beginning of one and from text that can
 * no longer become JSON, so a streaming parser knows how much of a model's output to hold back.
 * It checks the grammar only; {@code dev.banter.template.Json} builds values. Also writes JSON.
 */
final class JsonScan {
  /** The text ends inside a value that can still be completed. */
  static final int INCOMPLETE = -1;
  /** The text cannot be the beginning of a JSON value. */
  static final int INVALID = -2;

  private static final int MAX_DEPTH = 128;

  private JsonScan() {}

  /** The first index at or after {@code i} that is not JSON whitespace. */
  static int skipSpace(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  /**
   * Scans the value that starts at {@code i}: its end (exclusive) when complete, else
   * {@link #INCOMPLETE} or {@link #INVALID}. A number that reaches the end of the text counts as
   * incomplete, since more digits may follow.
   */
  static int value(String s, int i) {
    return value(s, i, 0);
  }

  private static int value(String s, int i, int depth) {
    if (depth > MAX_DEPTH) {
      return INVALID;
    }
    if (i >= s.length()) {
      return INCOMPLETE;
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return container(s, i, '}', true, depth);
      case '[':
        return container(s, i, ']', false, depth);
      case '"':
        return string(s, i);
      case 't':
        return literal(s, i, "true");
      case 'f':
        return literal(s, i, "false");
      case 'n':
        return literal(s, i, "null");
      default:
        return c == '-' || (c >= '0' && c <= '9') ? number(s, i) : INVALID;
    }
  }

  private static int container(String s, int i, char close, boolean object, int depth) {
    i = skipSpace(s, i + 1);
    if (i >= s.length()) {
      return INCOMPLETE;
    }
    if (s.charAt(i) == close) {
      return i + 1;
    }
    while (true) {
      if (object) {
        if (s.charAt(i) != '"') {
          return INVALID;
        }
        int end = string(s, i);
        if (end < 0) {
          return end;
        }
        i = skipSpace(s, end);
        if (i >= s.length()) {
          return INCOMPLETE;
        }
        if (s.charAt(i) != ':') {
          return INVALID;
        }
        i = skipSpace(s, i + 1);
      }
      int end = value(s, i, depth + 1);
      if (end < 0) {
        return end;
      }
      i = skipSpace(s, end);
      if (i >= s.length()) {
        return INCOMPLETE;
      }
      char c = s.charAt(i);
      if (c == close) {
        return i + 1;
      }
      if (c != ',') {
        return INVALID;
      }
      i = skipSpace(s, i + 1);
      if (i >= s.length()) {
        return INCOMPLETE;
      }
    }
  }

  /** Whether {@code text} is exactly one JSON value (no surrounding whitespace). */
  static boolean isValue(String text) {
    return !text.isEmpty() && value(text + " ", 0) == text.length();
  }

  /** Scans the string that starts at the quote at {@code i}. */
  static int string(String s, int i) {
    i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c < 0x20) {
        return INVALID;
      }
      if (c == '\\') {
        if (i + 1 >= s.length()) {
          return INCOMPLETE;
        }
        char e = s.charAt(i + 1);
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            if (i + 2 + k >= s.length()) {
              return INCOMPLETE;
            }
            if (Character.digit(s.charAt(i + 2 + k), 16) < 0) {
              return INVALID;
            }
          }
          i += 6;
          continue;
        }
        if ("\"\\/bfnrt".indexOf(e) < 0) {
          return INVALID;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return INCOMPLETE;
  }

  private static int literal(String s, int i, String word) {
    for (int k = 0; k < word.length(); k++) {
      if (i + k >= s.length()) {
        return INCOMPLETE;
      }
      if (s.charAt(i + k) != word.charAt(k)) {
        return INVALID;
      }
    }
    return i + word.length();
  }

  private static int number(String s, int i) {
    int n = s.length();
    if (s.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < n && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digits) {
      return i >= n ? INCOMPLETE : INVALID;
    }
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return i >= n ? INCOMPLETE : INVALID;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int start = i;
      while (i < n && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return i >= n ? INCOMPLETE : INVALID;
      }
    }
    return i >= n ? INCOMPLETE : i;
  }

  /** {@code text} as a JSON string literal. */
  static String quote(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2);
    quote(text, b);
    return b.toString();
  }

  static void quote(String text, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** Writes a value as {@code dev.banter.template.Json} returns them, with {@code ", "} and {@code ": "}. */
  static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(value, b);
    return b.toString();
  }

  private static void write(Object v, StringBuilder b) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      quote(s, b);
    } else if (v instanceof Map<?, ?> map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          b.append(", ");
        }
        first = false;
        quote(String.valueOf(e.getKey()), b);
        b.append(": ");
        write(e.getValue(), b);
      }
      b.append('}');
    } else if (v instanceof List<?> list) {
      b.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        write(list.get(i), b);
      }
      b.append(']');
    } else if (v instanceof Double d) {
      b.append(d);
    } else {
      b.append(v);
    }
  }
}

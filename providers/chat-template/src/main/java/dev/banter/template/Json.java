package dev.banter.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259): no comments, no trailing commas, no single quotes, no
 * {@code NaN}, no duplicate keys, at most {@value #MAX_DEPTH} levels of nesting. Objects become
 * insertion-ordered maps, arrays lists (both unmodifiable), integers {@link Long} (or
 * {@link BigInteger} past 64 bits), other numbers {@link Double}, and {@code null} null.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * Map<?, ?> input = (Map<?, ?>) Json.parse(Files.readString(path));
 * List<?> messages = (List<?>) input.get("messages");
 * }</pre>
 */
public final class Json {
  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 256;

  private static final int MAX_NUMBER_CHARS = 1000;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Reads one JSON value that makes up the whole text (surrounding whitespace allowed).
   *
   * @throws JsonException naming the line, column and offset of the first problem
   */
  public static Object parse(String text) {
    if (text == null) {
      throw new NullPointerException("text");
    }
    Json reader = new Json(text);
    reader.skipWhitespace();
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos < text.length()) {
      throw reader.error("unexpected " + reader.describe() + " after the JSON value; only whitespace may follow it");
    }
    return value;
  }

  private Object value(int depth) {
    if (pos >= text.length()) {
      throw error("unexpected end of input; expected a JSON value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth + 1);
      case '[' -> array(depth + 1);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected " + describe() + "; expected a JSON value");
      }
    };
  }

  private Object object(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("JSON nests deeper than " + MAX_DEPTH + " levels");
    }
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describe() + "; expected a member name in double quotes");
      }
      int keyPos = pos;
      String key = string();
      skipWhitespace();
      if (peek() != ':') {
        throw error("unexpected " + describe() + "; expected ':' after the member name");
      }
      pos++;
      skipWhitespace();
      Object value = value(depth);
      if (map.containsKey(key)) {
        pos = keyPos;
        throw error("duplicate member name \"" + key + "\"");
      }
      map.put(key, value);
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return Collections.unmodifiableMap(map);
      } else {
        throw error("unexpected " + describe() + "; expected ',' or '}' after an object member");
      }
    }
  }

  private Object array(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("JSON nests deeper than " + MAX_DEPTH + " levels");
    }
    pos++;
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth));
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return Collections.unmodifiableList(list);
      } else {
        throw error("unexpected " + describe() + "; expected ',' or ']' after an array element");
      }
    }
  }

  private String string() {
    int start = pos;
    pos++;
    StringBuilder sb = null;
    int runStart = pos;
    while (true) {
      if (pos >= text.length()) {
        pos = start;
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = sb == null ? text.substring(runStart, pos) : sb.append(text, runStart, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw error("control character U+" + hex4(c) + " in a string; write it as an escape such as \\n or \\u00XX");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(text, runStart, pos);
      if (pos + 1 >= text.length()) {
        throw error("unterminated escape sequence");
      }
      char e = text.charAt(pos + 1);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int at = pos + 2 + i;
            int digit = at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
            if (digit < 0) {
              throw error("\\u must be followed by four hex digits");
            }
            code = code * 16 + digit;
          }
          sb.append((char) code);
          pos += 4;
        }
        default -> throw error("invalid escape sequence \\" + e);
      }
      pos += 2;
      runStart = pos;
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("a number may not have leading zeros");
      }
    } else if (peek() >= '1' && peek() <= '9') {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("a number needs digits after '-'");
    }
    boolean integral = true;
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("a number needs digits after the decimal point");
      }
      while (isDigit(peek())) {
        pos++;
      }
      integral = false;
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("a number needs digits in its exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
      integral = false;
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      int end = pos;
      pos = start;
      throw error("a number of " + (end - start) + " chars is longer than the " + MAX_NUMBER_CHARS + " allowed");
    }
    String literal = text.substring(start, pos);
    if (integral) {
      if (literal.length() < 19) {
        return Long.parseLong(literal);
      }
      BigInteger big = new BigInteger(literal);
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    double d = Double.parseDouble(literal);
    if (Double.isInfinite(d)) {
      pos = start;
      throw error("the number " + literal + " is out of the range of a double");
    }
    return d;
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected " + describe() + "; expected a JSON value");
    }
    pos += word.length();
    return value;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private String describe() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    if (c < 0x20 || c == 0x7f) {
      return "character U+" + hex4(c);
    }
    if (c == '\uFEFF') {
      return "byte order mark U+FEFF";
    }
    return "'" + c + "'";
  }

  private static String hex4(char c) {
    String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    return "0000".substring(h.length()) + h;
  }

  private JsonException error(String what) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < pos && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = pos - lineStart + 1;
    return new JsonException("invalid JSON at line " + line + ", column " + column + " (offset " + pos
        + "): " + what, pos, line, column);
  }
}

package dev.banter.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Python's string operations, by code point, as {@code str} methods and Jinja filters define them. */
final class Text {
  private Text() {}

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

  /** {@code str.strip(chars)}; {@code chars == null} strips whitespace. */
  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end && strippable(s.codePointAt(start), chars)) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (right && end > start && strippable(s.codePointBefore(end), chars)) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  private static boolean strippable(int cp, String chars) {
    return chars == null ? isSpace(cp) : chars.indexOf(new String(Character.toChars(cp))) >= 0;
  }

  /** {@code str.split(sep, maxsplit)}; {@code sep == null} splits on runs of whitespace. */
  static List<Object> split(String s, String sep, long maxsplit) {
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      while (true) {
        while (i < s.length() && isSpace(s.codePointAt(i))) {
          i += Character.charCount(s.codePointAt(i));
        }
        if (i >= s.length()) {
          return out;
        }
        if (maxsplit >= 0 && out.size() == maxsplit) {
          out.add(s.substring(i));
          return out;
        }
        int j = i;
        while (j < s.length() && !isSpace(s.codePointAt(j))) {
          j += Character.charCount(s.codePointAt(j));
        }
        out.add(s.substring(i, j));
        i = j;
      }
    }
    if (sep.isEmpty()) {
      throw new EvalError("empty separator");
    }
    int from = 0;
    for (int at = s.indexOf(sep); at >= 0 && (maxsplit < 0 || out.size() < maxsplit); at = s.indexOf(sep, from)) {
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  /** {@code str.replace(old, new, count)}, including Python's rule for an empty {@code old}. */
  static String replace(String s, String old, String replacement, long count) {
    StringBuilder sb = new StringBuilder();
    long done = 0;
    if (old.isEmpty()) {
      for (int i = 0; i <= s.length() && sb.length() <= Limits.MAX_STRING_CHARS; ) {
        if (count < 0 || done < count) {
          sb.append(replacement);
          done++;
        }
        if (i == s.length()) {
          break;
        }
        int cp = s.codePointAt(i);
        sb.appendCodePoint(cp);
        i += Character.charCount(cp);
      }
      return sb.toString();
    }
    int from = 0;
    for (int at = s.indexOf(old); at >= 0 && (count < 0 || done < count) && sb.length() <= Limits.MAX_STRING_CHARS;
        at = s.indexOf(old, from)) {
      sb.append(s, from, at).append(replacement);
      from = at + old.length();
      done++;
    }
    sb.append(s, from, s.length());
    return sb.toString();
  }

  /** {@code str.capitalize()}: first character title case, the rest lower case. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int first = s.codePointAt(0);
    int title = Character.toTitleCase(first);
    String head = title != first || Character.isTitleCase(first)
        ? new String(Character.toChars(title))
        : new String(Character.toChars(first)).toUpperCase(Locale.ROOT);
    return head + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
  }

  /** Jinja's {@code indent(width, first, blank)} filter, splitting lines as {@code str.splitlines()} does. */
  static String indent(String s, String indentation, boolean first, boolean blank) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e) || c == 0x85
          || c == 0x2028 || c == 0x2029) {
        lines.add(s.substring(start, i));
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    lines.add(s.substring(start));
    StringBuilder sb = new StringBuilder(s.length() + indentation.length() * lines.size());
    if (first) {
      sb.append(indentation);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i > 0) {
        sb.append('\n');
        if (blank || !line.isEmpty()) {
          sb.append(indentation);
        }
      }
      sb.append(line);
      if (sb.length() > Limits.MAX_STRING_CHARS) {
        throw new EvalError("indent() produced more than " + Limits.MAX_STRING_CHARS + " chars");
      }
    }
    return sb.toString();
  }

  /** {@code template.format(*args)} with automatically numbered {@code {}} fields and {@code {{ }}} escapes. */
  static String format(String template, List<Object> args) {
    StringBuilder sb = new StringBuilder(template.length() + 16);
    int next = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      char following = i + 1 < template.length() ? template.charAt(i + 1) : 0;
      if ((c == '{' || c == '}') && following == c) {
        sb.append(c);
        i++;
      } else if (c == '{' && following == '}') {
        if (next >= args.size()) {
          throw new EvalError("Replacement index " + next + " out of range for positional args tuple");
        }
        sb.append(Repr.str(args.get(next++)));
        i++;
      } else if (c == '{') {
        int close = template.indexOf('}', i);
        throw new EvalError("str.format() supports only '{}' fields, not '"
            + (close < 0 ? template.substring(i) : template.substring(i, close + 1)) + "'");
      } else if (c == '}') {
        throw new EvalError("single '}' encountered in format string");
      } else {
        sb.append(c);
      }
      if (sb.length() > Limits.MAX_STRING_CHARS) {
        throw new EvalError("str.format() produced more than " + Limits.MAX_STRING_CHARS + " chars");
      }
    }
    return sb.toString();
  }
}

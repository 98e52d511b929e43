package dev.banter.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Python's string operations, by code point, as {@code str} methods and Jinja filters define them. */
final class Text {
  private Text() {}

  /** {@code str.strip(chars)}; {@code chars == null} strips whitespace. */
  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    if (left) {
      while (start < end) {
        int cp = s.codePointAt(start);
        if (!strippable(cp, chars)) {
          break;
        }
        start += Character.charCount(cp);
      }
    }
    if (right) {
      while (end > start) {
        int cp = s.codePointBefore(end);
        if (!strippable(cp, chars)) {
          break;
        }
        end -= Character.charCount(cp);
      }
    }
    return s.substring(start, end);
  }

  private static boolean strippable(int cp, String chars) {
    return chars == null ? Py.isSpace(cp) : chars.indexOf(new String(Character.toChars(cp))) >= 0;
  }

  /** {@code str.split(sep, maxsplit)}; {@code sep == null} splits on runs of whitespace. */
  static List<Object> split(String s, String sep, long maxsplit) {
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      int n = s.length();
      while (true) {
        while (i < n && Py.isSpace(s.codePointAt(i))) {
          i += Character.charCount(s.codePointAt(i));
        }
        if (i >= n) {
          break;
        }
        if (maxsplit >= 0 && out.size() == maxsplit) {
          out.add(s.substring(i));
          break;
        }
        int j = i;
        while (j < n && !Py.isSpace(s.codePointAt(j))) {
          j += Character.charCount(s.codePointAt(j));
        }
        out.add(s.substring(i, j));
        i = j;
      }
      return out;
    }
    if (sep.isEmpty()) {
      throw new EvalError("empty separator");
    }
    int from = 0;
    while (maxsplit < 0 || out.size() < maxsplit) {
      int at = s.indexOf(sep, from);
      if (at < 0) {
        break;
      }
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  /** {@code str.rsplit(sep, maxsplit)}. */
  static List<Object> rsplit(String s, String sep, long maxsplit) {
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      int j = s.length();
      while (true) {
        while (j > 0 && Py.isSpace(s.codePointBefore(j))) {
          j -= Character.charCount(s.codePointBefore(j));
        }
        if (j <= 0) {
          break;
        }
        if (maxsplit >= 0 && out.size() == maxsplit) {
          out.add(s.substring(0, j));
          break;
        }
        int i = j;
        while (i > 0 && !Py.isSpace(s.codePointBefore(i))) {
          i -= Character.charCount(s.codePointBefore(i));
        }
        out.add(s.substring(i, j));
        j = i;
      }
      Collections.reverse(out);
      return out;
    }
    if (sep.isEmpty()) {
      throw new EvalError("empty separator");
    }
    int to = s.length();
    while (maxsplit < 0 || out.size() < maxsplit) {
      int at = s.lastIndexOf(sep, to - sep.length());
      if (at < 0) {
        break;
      }
      out.add(s.substring(at + sep.length(), to));
      to = at;
    }
    out.add(s.substring(0, to));
    Collections.reverse(out);
    return out;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
        || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  /** {@code str.splitlines(keepends)}. */
  static List<Object> splitLines(String s, boolean keepEnds) {
    List<Object> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (isLineBreak(c)) {
        int end = i + (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1);
        out.add(s.substring(start, keepEnds ? end : i));
        start = end;
        i = end;
      } else {
        i++;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  /** {@code str.replace(old, new, count)}, including Python's rule for an empty {@code old}. */
  static String replace(String s, String old, String replacement, long count) {
    StringBuilder sb = new StringBuilder();
    long done = 0;
    if (old.isEmpty()) {
      int i = 0;
      while (i <= s.length()) {
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
        if (sb.length() > Limits.MAX_STRING_CHARS) {
          break;
        }
      }
      return sb.toString();
    }
    int from = 0;
    while (count < 0 || done < count) {
      int at = s.indexOf(old, from);
      if (at < 0) {
        break;
      }
      sb.append(s, from, at).append(replacement);
      from = at + old.length();
      done++;
      if (sb.length() > Limits.MAX_STRING_CHARS) {
        break;
      }
    }
    sb.append(s, from, s.length());
    return sb.toString();
  }

  /** {@code str.title()}: each run of cased letters starts upper case, the rest lower case. */
  static String pythonTitle(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean previousCased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      boolean cased = isCased(cp);
      if (cased) {
        appendCased(sb, cp, previousCased ? -1 : 0);
      } else {
        sb.appendCodePoint(cp);
      }
      previousCased = cased;
    }
    return sb.toString();
  }

  /** Jinja's {@code title} filter: words split at whitespace and {@code -([{<}, first letter up. */
  static String jinjaTitle(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int start = i;
      boolean separator = isTitleSeparator(s.codePointAt(i));
      while (i < s.length() && isTitleSeparator(s.codePointAt(i)) == separator) {
        i += Character.charCount(s.codePointAt(i));
      }
      String item = s.substring(start, i);
      int first = item.codePointAt(0);
      sb.append(new String(Character.toChars(first)).toUpperCase(Locale.ROOT));
      sb.append(item.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
    }
    return sb.toString();
  }

  private static boolean isTitleSeparator(int cp) {
    return cp == '-' || cp == '(' || cp == '{' || cp == '[' || cp == '<' || Py.isSpace(cp);
  }

  /** {@code str.capitalize()}: first character title case, the rest lower case. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int first = s.codePointAt(0);
    appendCased(sb, first, 0);
    sb.append(s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
    return sb.toString();
  }

  /** Appends {@code cp} lower-cased ({@code mode < 0}) or title-cased ({@code mode == 0}). */
  private static void appendCased(StringBuilder sb, int cp, int mode) {
    String one = new String(Character.toChars(cp));
    if (mode < 0) {
      sb.append(one.toLowerCase(Locale.ROOT));
    } else {
      int title = Character.toTitleCase(cp);
      if (title != cp || Character.isTitleCase(cp)) {
        sb.appendCodePoint(title);
      } else {
        sb.append(one.toUpperCase(Locale.ROOT));
      }
    }
  }

  static String swapCase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      String one = new String(Character.toChars(cp));
      if (Character.isUpperCase(cp)) {
        sb.append(one.toLowerCase(Locale.ROOT));
      } else if (Character.isLowerCase(cp)) {
        sb.append(one.toUpperCase(Locale.ROOT));
      } else {
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  private static boolean isCased(int cp) {
    return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
  }

  /** {@code str.islower()} ({@code upper == false}) or {@code str.isupper()}. */
  static boolean isCase(String s, boolean upper) {
    boolean anyCased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (upper ? Character.isLowerCase(cp) || Character.isTitleCase(cp)
          : Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
        return false;
      }
      anyCased |= isCased(cp);
    }
    return anyCased;
  }

  static boolean isTitle(String s) {
    boolean previousCased = false;
    boolean anyCased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
        if (previousCased) {
          return false;
        }
        previousCased = true;
        anyCased = true;
      } else if (Character.isLowerCase(cp)) {
        if (!previousCased) {
          return false;
        }
        previousCased = true;
        anyCased = true;
      } else {
        previousCased = false;
      }
    }
    return anyCased;
  }

  /** {@code str.isalpha()} and friends: true when non-empty and every character qualifies. */
  static boolean allOf(String s, String test) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      boolean decimal = type == Character.DECIMAL_DIGIT_NUMBER;
      boolean digit = decimal || (type == Character.OTHER_NUMBER && Character.digit(cp, 10) >= 0)
          || (type == Character.OTHER_NUMBER && Character.getNumericValue(cp) >= 0
              && Character.getNumericValue(cp) <= 9);
      boolean numeric = decimal || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
      boolean ok;
      switch (test) {
        case "isalpha":
          ok = Character.isLetter(cp);
          break;
        case "isdecimal":
          ok = decimal;
          break;
        case "isdigit":
          ok = digit;
          break;
        case "isnumeric":
          ok = numeric;
          break;
        case "isspace":
          ok = Py.isSpace(cp);
          break;
        case "isalnum":
          ok = Character.isLetter(cp) || numeric;
          break;
        default:
          throw new IllegalStateException(test);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code str.center}, {@code str.ljust} or {@code str.rjust}. */
  static String pad(String s, long width, String fill, String how) {
    long length = Py.codePointLength(s);
    if (width <= length) {
      return s;
    }
    if (width > Limits.MAX_STRING_CHARS) {
      throw new EvalError("padding to " + width + " chars exceeds the limit of "
          + Limits.MAX_STRING_CHARS + " chars");
    }
    long margin = width - length;
    long left;
    switch (how) {
      case "ljust":
        left = 0;
        break;
      case "rjust":
        left = margin;
        break;
      default:
        left = margin / 2 + (margin & width & 1);
        break;
    }
    StringBuilder sb = new StringBuilder((int) width);
    for (long i = 0; i < left; i++) {
      sb.append(fill);
    }
    sb.append(s);
    for (long i = left; i < margin; i++) {
      sb.append(fill);
    }
    return sb.toString();
  }

  static String zfill(String s, long width) {
    long length = Py.codePointLength(s);
    if (width <= length) {
      return s;
    }
    if (width > Limits.MAX_STRING_CHARS) {
      throw new EvalError("zfill width " + width + " exceeds the limit of " + Limits.MAX_STRING_CHARS);
    }
    StringBuilder sb = new StringBuilder((int) width);
    int start = 0;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      sb.append(s.charAt(0));
      start = 1;
    }
    for (long i = length; i < width; i++) {
      sb.append('0');
    }
    sb.append(s, start, s.length());
    return sb.toString();
  }

  /** Jinja's {@code indent(width, first, blank)} filter. */
  static String indent(String s, String indentation, boolean first, boolean blank) {
    List<Object> lines = splitLines(s + "\n", false);
    StringBuilder sb = new StringBuilder(s.length() + indentation.length() * lines.size());
    if (first) {
      sb.append(indentation);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = (String) lines.get(i);
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

  /** Jinja's {@code wordcount}: the number of runs of word characters. */
  static long wordCount(String s) {
    long words = 0;
    boolean inWord = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      boolean word = cp == '_' || Character.isLetterOrDigit(cp)
          || Character.getType(cp) == Character.OTHER_NUMBER
          || Character.getType(cp) == Character.LETTER_NUMBER;
      if (word && !inWord) {
        words++;
      }
      inWord = word;
    }
    return words;
  }

  /** Markupsafe's HTML escape, as Jinja's {@code escape} filter applies it. */
  static String htmlEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&#34;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }

  /** {@code s[from:to]} by code point. */
  static String codePointSlice(String s, int from, int to) {
    int length = Py.codePointLength(s);
    from = Math.max(0, Math.min(from, length));
    to = Math.max(from, Math.min(to, length));
    int start = s.offsetByCodePoints(0, from);
    return s.substring(start, s.offsetByCodePoints(start, to - from));
  }
}

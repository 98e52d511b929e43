package dev.banter.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template into tokens and applies Jinja's whitespace rules with the settings Hugging Face
 * and llama.cpp use for chat templates: {@code trim_blocks} (the first newline after a block or
 * comment tag is removed), {@code lstrip_blocks} (spaces and tabs between the start of a line and a
 * block or comment tag are removed), the {@code -} and {@code +} markers that strip or keep
 * whitespace next to a tag, and one trailing newline of the template dropped.
 */
final class Lexer {
  private static final Pattern RAW_BEGIN = Pattern.compile("\\{%([-+]?)\\s*raw\\s*(-?)%\\}");
  private static final Pattern RAW_END = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*([-+]?)%\\}");
  private static final String[] OPERATORS = {
    "**", "//", "==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]",
    "{", "}", ",", ".", ":", "|"
  };

  /** What kind of tag ended the previous text; RAW is a raw block's opening tag. */
  private enum TagKind {
    NONE, BLOCK, COMMENT, VAR, RAW
  }

  private final String src;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private TagKind prevKind = TagKind.NONE;
  private char prevMarker;

  private Lexer(String src) {
    this.src = src;
  }

  /** Normalizes newlines to {@code \n} and drops one trailing newline, as Jinja does. */
  static String normalize(String source) {
    String s = source.indexOf('\r') >= 0 ? source.replace("\r\n", "\n").replace('\r', '\n') : source;
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  /** Tokenizes a normalized source; the list ends with an EOF token. */
  static List<Token> tokenize(String normalized) {
    Lexer lexer = new Lexer(normalized);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    while (pos <= src.length()) {
      int tag = nextTag(pos);
      if (tag < 0) {
        text(src.substring(pos), TagKind.NONE, (char) 0);
        break;
      }
      char opener = src.charAt(tag + 1);
      char marker = tag + 2 < src.length() && (src.charAt(tag + 2) == '-' || src.charAt(tag + 2) == '+')
          ? src.charAt(tag + 2) : 0;
      TagKind kind = opener == '%' ? TagKind.BLOCK : opener == '#' ? TagKind.COMMENT : TagKind.VAR;
      text(src.substring(pos, tag), kind, marker);
      if (kind == TagKind.COMMENT) {
        comment(tag);
      } else if (kind == TagKind.BLOCK && raw(tag)) {
        continue;
      } else {
        tag(tag, kind, marker);
      }
    }
    tokens.add(new Token(Token.Kind.EOF, "", null, src.length()));
  }

  private int nextTag(int from) {
    for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
      char c = src.charAt(i + 1);
      if (c == '{' || c == '%' || c == '#') {
        return i;
      }
    }
    return -1;
  }

  /** Adds the text before a tag, trimmed as the surrounding tags ask. */
  private void text(String text, TagKind next, char nextMarker) {
    int textPos = pos;
    boolean lineStart = prevKind == TagKind.NONE;
    if (prevMarker == '-') {
      int i = 0;
      while (i < text.length() && Py.isSpace(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      lineStart = i > 0 && text.charAt(i - 1) == '\n';
      text = text.substring(i);
    } else if ((prevKind == TagKind.BLOCK || prevKind == TagKind.COMMENT) && prevMarker != '+'
        && text.startsWith("\n")) {
      text = text.substring(1);
      lineStart = true;
    }
    if (nextMarker == '-') {
      int end = text.length();
      while (end > 0 && Py.isSpace(text.codePointBefore(end))) {
        end -= Character.charCount(text.codePointBefore(end));
      }
      text = text.substring(0, end);
    } else if ((next == TagKind.BLOCK || next == TagKind.COMMENT) && nextMarker != '+') {
      int lineBegin = text.lastIndexOf('\n') + 1;
      if ((lineBegin > 0 || lineStart) && onlySpacesAndTabs(text, lineBegin)) {
        text = text.substring(0, lineBegin);
      }
    }
    if (!text.isEmpty()) {
      tokens.add(new Token(Token.Kind.TEXT, text, null, textPos));
    }
  }

  private static boolean onlySpacesAndTabs(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  private void comment(int start) {
    int end = src.indexOf("#}", start + 2);
    if (end < 0) {
      throw error(start, "the comment opened here is never closed; expected '#}'");
    }
    char marker = end - 1 > start + 1 && (src.charAt(end - 1) == '-' || src.charAt(end - 1) == '+')
        ? src.charAt(end - 1) : 0;
    prevKind = TagKind.COMMENT;
    prevMarker = marker;
    pos = end + 2;
  }

  /**
   * Handles {@code {% raw %}...{% endraw %}}: the content becomes text as written, trimmed only by
   * the tags' markers and by {@code lstrip_blocks} before {@code endraw} (Jinja does not apply
   * {@code trim_blocks} after {@code raw}).
   */
  private boolean raw(int start) {
    Matcher begin = RAW_BEGIN.matcher(src);
    begin.region(start, src.length());
    if (!begin.lookingAt()) {
      return false;
    }
    Matcher end = RAW_END.matcher(src);
    if (!end.find(begin.end())) {
      throw error(start, "the 'raw' block opened here is never closed; expected {% endraw %}");
    }
    prevKind = TagKind.RAW;
    prevMarker = begin.group(2).isEmpty() ? 0 : '-';
    pos = begin.end();
    String endMarker = end.group(1);
    text(src.substring(begin.end(), end.start()), TagKind.BLOCK, endMarker.isEmpty() ? 0 : endMarker.charAt(0));
    prevKind = TagKind.BLOCK;
    prevMarker = end.group(2).isEmpty() ? 0 : end.group(2).charAt(0);
    pos = end.end();
    return true;
  }

  private void tag(int start, TagKind kind, char marker) {
    boolean block = kind == TagKind.BLOCK;
    tokens.add(new Token(block ? Token.Kind.BLOCK_BEGIN : Token.Kind.VAR_BEGIN,
        block ? "{%" : "{{", null, start));
    int i = start + 2 + (marker != 0 ? 1 : 0);
    int depth = 0;
    while (true) {
      while (i < src.length() && Py.isSpace(src.charAt(i))) {
        i++;
      }
      if (i >= src.length()) {
        throw error(start, "the tag opened here is never closed; expected '" + (block ? "%}" : "}}") + "'");
      }
      char c = src.charAt(i);
      if (block) {
        if ((c == '-' || c == '+') && src.startsWith("%}", i + 1)) {
          finishTag(Token.Kind.BLOCK_END, i, i + 3, c, kind);
          return;
        }
        if (c == '%' && src.startsWith("%}", i)) {
          finishTag(Token.Kind.BLOCK_END, i, i + 2, (char) 0, kind);
          return;
        }
      } else if (depth == 0) {
        if (c == '-' && src.startsWith("}}", i + 1)) {
          finishTag(Token.Kind.VAR_END, i, i + 3, c, kind);
          return;
        }
        if (c == '}' && src.startsWith("}}", i)) {
          finishTag(Token.Kind.VAR_END, i, i + 2, (char) 0, kind);
          return;
        }
      }
      if (Character.isLetter(c) || c == '_') {
        int end = i + 1;
        while (end < src.length() && (Character.isLetterOrDigit(src.charAt(end)) || src.charAt(end) == '_')) {
          end++;
        }
        tokens.add(new Token(Token.Kind.NAME, src.substring(i, end), null, i));
        i = end;
      } else if (c >= '0' && c <= '9') {
        i = number(i);
      } else if (c == '\'' || c == '"') {
        i = string(i);
      } else {
        String op = operatorAt(i);
        if (op == null) {
          throw error(i, "unexpected character '" + c + "' in a tag");
        }
        if (op.equals("(") || op.equals("[") || op.equals("{")) {
          depth++;
        } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
          depth = Math.max(0, depth - 1);
        }
        tokens.add(new Token(Token.Kind.OPERATOR, op, null, i));
        i += op.length();
      }
    }
  }

  private void finishTag(Token.Kind kind, int at, int end, char marker, TagKind tagKind) {
    tokens.add(new Token(kind, src.substring(at, end), null, at));
    prevKind = tagKind;
    prevMarker = marker;
    pos = end;
  }

  private String operatorAt(int i) {
    for (String op : OPERATORS) {
      if (src.startsWith(op, i)) {
        return op;
      }
    }
    return null;
  }

  private int number(int start) {
    boolean afterDot = !tokens.isEmpty() && tokens.get(tokens.size() - 1).isOperator(".")
        && tokens.get(tokens.size() - 1).pos == start - 1;
    int i = start;
    if (src.charAt(i) == '0' && i + 1 < src.length() && "xXoObB".indexOf(src.charAt(i + 1)) >= 0) {
      int radix = "xX".indexOf(src.charAt(i + 1)) >= 0 ? 16 : "oO".indexOf(src.charAt(i + 1)) >= 0 ? 8 : 2;
      int end = i + 2;
      while (end < src.length() && (Character.digit(src.charAt(end), radix) >= 0 || src.charAt(end) == '_')) {
        end++;
      }
      String digits = src.substring(i + 2, end).replace("_", "");
      if (digits.isEmpty() || digits.length() > 1000) {
        throw error(start, "invalid number literal");
      }
      tokens.add(new Token(Token.Kind.INTEGER, src.substring(start, end), Py.integer(new BigInteger(digits, radix)), start));
      return end;
    }
    i = digits(i);
    boolean isFloat = false;
    if (!afterDot && i + 1 < src.length() && src.charAt(i) == '.' && Character.isDigit(src.charAt(i + 1))) {
      i = digits(i + 1);
      isFloat = true;
    }
    if (!afterDot && i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < src.length() && (src.charAt(j) == '+' || src.charAt(j) == '-')) {
        j++;
      }
      if (j < src.length() && Character.isDigit(src.charAt(j))) {
        i = digits(j);
        isFloat = true;
      }
    }
    String literal = src.substring(start, i);
    if (literal.length() > 1000) {
      throw error(start, "number literal of " + literal.length() + " chars is too long");
    }
    String clean = literal.replace("_", "");
    Object value = isFloat ? (Object) Double.parseDouble(clean) : Py.integer(new BigInteger(clean));
    tokens.add(new Token(isFloat ? Token.Kind.FLOAT : Token.Kind.INTEGER, literal, value, start));
    return i;
  }

  private int digits(int i) {
    while (i < src.length() && (Character.isDigit(src.charAt(i))
        || (src.charAt(i) == '_' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1))))) {
      i++;
    }
    return i;
  }

  /** A string literal with Python's backslash escapes. */
  private int string(int start) {
    char quote = src.charAt(start);
    StringBuilder sb = new StringBuilder();
    int i = start + 1;
    while (true) {
      if (i >= src.length()) {
        throw error(start, "the string opened here is never closed; expected " + quote);
      }
      char c = src.charAt(i);
      if (c == quote) {
        tokens.add(new Token(Token.Kind.STRING, src.substring(start, i + 1), sb.toString(), start));
        return i + 1;
      }
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= src.length()) {
        throw error(start, "the string opened here is never closed; expected " + quote);
      }
      char e = src.charAt(i + 1);
      i += 2;
      switch (e) {
        case '\n':
          break;
        case '\\':
        case '\'':
        case '"':
          sb.append(e);
          break;
        case 'a':
          sb.append('\u0007');
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'v':
          sb.append('\u000b');
          break;
        case 'x':
        case 'u':
        case 'U': {
          int width = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          int code = 0;
          for (int k = 0; k < width; k++) {
            int digit = i + k < src.length() ? Character.digit(src.charAt(i + k), 16) : -1;
            if (digit < 0) {
              throw error(i - 2, "truncated \\" + e + " escape; expected " + width + " hex digits");
            }
            code = code * 16 + digit;
          }
          if (code > Character.MAX_CODE_POINT || code < 0) {
            throw error(i - 2, "\\" + e + " escape is not a valid code point");
          }
          sb.appendCodePoint(code);
          i += width;
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int code = e - '0';
            for (int k = 0; k < 2 && i < src.length() && src.charAt(i) >= '0' && src.charAt(i) <= '7'; k++) {
              code = code * 8 + (src.charAt(i++) - '0');
            }
            sb.append((char) code);
          } else {
            sb.append('\\').append(e);
          }
      }
    }
  }

  private TemplateSyntaxException error(int at, String message) {
    int[] lc = Renderer.lineColumn(src, at);
    return new TemplateSyntaxException("line " + lc[0] + ", column " + lc[1] + ": " + message, lc[0], lc[1]);
  }
}

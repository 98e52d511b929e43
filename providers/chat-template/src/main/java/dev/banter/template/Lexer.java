package dev.banter.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a template into tokens and applies Jinja's whitespace rules with the settings Hugging Face
 * and llama.cpp use for chat templates: {@code trim_blocks} (the first newline after a block or
 * comment tag is removed), {@code lstrip_blocks} (spaces and tabs between the start of a line and a
 * block or comment tag are removed), the {@code -} marker that strips whitespace next to a tag, and
 * one trailing newline of the template dropped.
 */
final class Lexer {
  private static final Pattern RAW = Pattern.compile("\\{%-?\\s*raw\\s*-?%\\}");
  private static final String[] OPERATORS = {
    "**", "//", "==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]",
    "{", "}", ",", ".", ":", "|"
  };

  /** What kind of tag ended the previous text. */
  private enum TagKind {
    NONE, BLOCK, COMMENT, VAR
  }

  private final String src;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private TagKind prevKind = TagKind.NONE;
  private boolean prevStrips;

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
        text(src.substring(pos), TagKind.NONE, false);
        break;
      }
      char opener = src.charAt(tag + 1);
      char marker = tag + 2 < src.length() ? src.charAt(tag + 2) : 0;
      TagKind kind = opener == '%' ? TagKind.BLOCK : opener == '#' ? TagKind.COMMENT : TagKind.VAR;
      if (marker == '+' && kind != TagKind.VAR) {
        throw error(tag, "the '+' whitespace marker is not supported");
      }
      if (kind == TagKind.BLOCK && RAW.matcher(src).region(tag, src.length()).lookingAt()) {
        throw error(tag, "the 'raw' block is not supported");
      }
      text(src.substring(pos, tag), kind, marker == '-');
      if (kind == TagKind.COMMENT) {
        comment(tag);
      } else {
        tag(tag, kind, marker == '-');
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
  private void text(String text, TagKind next, boolean nextStrips) {
    int textPos = pos;
    boolean lineStart = prevKind == TagKind.NONE;
    if (prevStrips) {
      int i = 0;
      while (i < text.length() && Text.isSpace(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      lineStart = i > 0 && text.charAt(i - 1) == '\n';
      text = text.substring(i);
    } else if ((prevKind == TagKind.BLOCK || prevKind == TagKind.COMMENT) && text.startsWith("\n")) {
      text = text.substring(1);
      lineStart = true;
    }
    if (nextStrips) {
      int end = text.length();
      while (end > 0 && Text.isSpace(text.codePointBefore(end))) {
        end -= Character.charCount(text.codePointBefore(end));
      }
      text = text.substring(0, end);
    } else if (next == TagKind.BLOCK || next == TagKind.COMMENT) {
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
    char marker = end - 1 > start + 1 ? src.charAt(end - 1) : 0;
    if (marker == '+') {
      throw error(end - 1, "the '+' whitespace marker is not supported");
    }
    prevKind = TagKind.COMMENT;
    prevStrips = marker == '-';
    pos = end + 2;
  }

  private void tag(int start, TagKind kind, boolean strips) {
    boolean block = kind == TagKind.BLOCK;
    tokens.add(new Token(block ? Token.Kind.BLOCK_BEGIN : Token.Kind.VAR_BEGIN, block ? "{%" : "{{", null, start));
    int i = start + 2 + (strips ? 1 : 0);
    int depth = 0;
    while (true) {
      while (i < src.length() && Text.isSpace(src.charAt(i))) {
        i++;
      }
      if (i >= src.length()) {
        throw error(start, "the tag opened here is never closed; expected '" + (block ? "%}" : "}}") + "'");
      }
      char c = src.charAt(i);
      if (block) {
        if (c == '+' && src.startsWith("%}", i + 1)) {
          throw error(i, "the '+' whitespace marker is not supported");
        }
        if (c == '-' && src.startsWith("%}", i + 1)) {
          finishTag(Token.Kind.BLOCK_END, i, i + 3, true, kind);
          return;
        }
        if (c == '%' && src.startsWith("%}", i)) {
          finishTag(Token.Kind.BLOCK_END, i, i + 2, false, kind);
          return;
        }
      } else if (depth == 0) {
        if (c == '-' && src.startsWith("}}", i + 1)) {
          finishTag(Token.Kind.VAR_END, i, i + 3, true, kind);
          return;
        }
        if (c == '}' && src.startsWith("}}", i)) {
          finishTag(Token.Kind.VAR_END, i, i + 2, false, kind);
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

  private void finishTag(Token.Kind kind, int at, int end, boolean strips, TagKind tagKind) {
    tokens.add(new Token(kind, src.substring(at, end), null, at));
    prevKind = tagKind;
    prevStrips = strips;
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

  /** A decimal integer literal; {@code x.0} reads as item 0 of {@code x}. */
  private int number(int start) {
    int end = start;
    while (end < src.length() && Character.isDigit(src.charAt(end))) {
      end++;
    }
    boolean afterDot = !tokens.isEmpty() && tokens.get(tokens.size() - 1).isOperator(".")
        && tokens.get(tokens.size() - 1).pos() == start - 1;
    char next = end < src.length() ? src.charAt(end) : 0;
    char after = end + 1 < src.length() ? src.charAt(end + 1) : 0;
    boolean fraction = next == '.' && !afterDot && Character.isDigit(after);
    boolean exponent = (next == 'e' || next == 'E') && (Character.isDigit(after) || after == '+' || after == '-');
    boolean prefixed = end == start + 1 && src.charAt(start) == '0' && "xXoObB".indexOf(next) >= 0;
    if (fraction || exponent || prefixed || next == '_') {
      int wordEnd = end + 1;
      while (wordEnd < src.length()
          && (Character.isLetterOrDigit(src.charAt(wordEnd)) || "._+-".indexOf(src.charAt(wordEnd)) >= 0)) {
        wordEnd++;
      }
      throw error(start, "the number literal '" + src.substring(start, wordEnd) + "' is not supported; chat templates"
          + " take decimal integers only");
    }
    String literal = src.substring(start, end);
    long value;
    try {
      value = Long.parseLong(literal);
    } catch (NumberFormatException e) {
      throw error(start, "the integer " + literal + " does not fit in 64 bits");
    }
    tokens.add(new Token(Token.Kind.INTEGER, literal, value, start));
    return end;
  }

  /**
   * A string literal with the escapes {@code \n}, {@code \\}, {@code \'}, {@code \"} and a
   * backslash before a newline (which joins the lines). Python's other escapes fail; a backslash
   * before any other character stays as written, as in Python.
   */
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
      switch (e) {
        case '\n' -> { }
        case 'n' -> sb.append('\n');
        case '\\', '\'', '"' -> sb.append(e);
        case 't', 'r', 'a', 'b', 'f', 'v', 'x', 'u', 'U', 'N', '0', '1', '2', '3', '4', '5', '6', '7' ->
            throw error(i, "the escape '\\" + e + "' is not supported; chat templates use \\n, \\\\, \\' and \\\"");
        default -> sb.append('\\').append(e);
      }
      i += 2;
    }
  }

  private TemplateSyntaxException error(int at, String message) {
    int[] lc = Renderer.lineColumn(src, at);
    return new TemplateSyntaxException("line " + lc[0] + ", column " + lc[1] + ": " + message, lc[0], lc[1]);
  }
}

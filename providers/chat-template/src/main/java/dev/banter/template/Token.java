package dev.banter.template;

/**
 * One lexical token of a template: literal text, a tag delimiter, or a piece of an expression.
 *
 * @param text the text of TEXT, NAME and OPERATOR tokens; the source spelling otherwise
 * @param value the value of STRING and INTEGER tokens
 * @param pos the offset into the (newline-normalized) source
 */
record Token(Kind kind, String text, Object value, int pos) {
  enum Kind {
    TEXT, BLOCK_BEGIN, BLOCK_END, VAR_BEGIN, VAR_END, NAME, STRING, INTEGER, OPERATOR, EOF
  }

  boolean isOperator(String t) {
    return kind == Kind.OPERATOR && text.equals(t);
  }

  boolean isName(String t) {
    return kind == Kind.NAME && text.equals(t);
  }

  String describe() {
    return switch (kind) {
      case EOF -> "end of template";
      case BLOCK_END -> "end of statement block";
      case VAR_END -> "end of print statement";
      case BLOCK_BEGIN -> "begin of statement block";
      case VAR_BEGIN -> "begin of print statement";
      case TEXT -> "template text";
      case STRING -> "string " + Repr.repr(value);
      default -> "'" + text + "'";
    };
  }
}

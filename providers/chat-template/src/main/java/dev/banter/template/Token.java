package dev.banter.template;

/** One lexical token of a template: literal text, a tag delimiter, or a piece of an expression. */
final class Token {
  enum Kind {
    TEXT, BLOCK_BEGIN, BLOCK_END, VAR_BEGIN, VAR_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF
  }

  final Kind kind;
  /** The text for TEXT, NAME and OPERATOR tokens; the source spelling otherwise. */
  final String text;
  /** The value of STRING, INTEGER and FLOAT tokens. */
  final Object value;
  /** Offset into the (newline-normalized) source. */
  final int pos;

  Token(Kind kind, String text, Object value, int pos) {
    this.kind = kind;
    this.text = text;
    this.value = value;
    this.pos = pos;
  }

  boolean isOperator(String t) {
    return kind == Kind.OPERATOR && text.equals(t);
  }

  boolean isName(String t) {
    return kind == Kind.NAME && text.equals(t);
  }

  String describe() {
    switch (kind) {
      case EOF:
        return "end of template";
      case BLOCK_END:
        return "end of statement block";
      case VAR_END:
        return "end of print statement";
      case BLOCK_BEGIN:
        return "begin of statement block";
      case VAR_BEGIN:
        return "begin of print statement";
      case TEXT:
        return "template text";
      case STRING:
        return "string " + Py.repr(value);
      default:
        return "'" + text + "'";
    }
  }
}

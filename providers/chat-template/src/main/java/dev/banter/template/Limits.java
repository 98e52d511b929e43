package dev.banter.template;

/**
 * Bounds that keep a hostile or broken template from exhausting the stack, the heap or the CPU.
 * Real chat templates stay far below each of them.
 */
final class Limits {
  /** Longest template source accepted, in chars. */
  static final int MAX_SOURCE_CHARS = 4 << 20;
  /** Deepest nesting of block tags ({@code if}, {@code for}, {@code macro}, ...). */
  static final int MAX_BLOCK_DEPTH = 48;
  /** Deepest expression tree (operands, filters, attribute chains, literals). */
  static final int MAX_EXPR_DEPTH = 64;
  /** Deepest macro call chain while rendering. */
  static final int MAX_CALL_DEPTH = 24;
  /** Deepest nesting of values (lists and dicts inside each other), in input and while printing. */
  static final int MAX_VALUE_DEPTH = 256;
  /** Statements executed plus loop iterations plus calls, per render. */
  static final long MAX_STEPS = 5_000_000L;
  /** Longest string one operation may produce, in chars. */
  static final int MAX_STRING_CHARS = 8 << 20;
  /** Chars all string operations and the output together may produce, per render. */
  static final long MAX_TOTAL_CHARS = 64L << 20;
  /** Longest list one operation may produce. */
  static final int MAX_LIST_ITEMS = 1 << 20;
  /** List items all operations together may produce, per render. */
  static final long MAX_TOTAL_ITEMS = 8L << 20;

  private Limits() {}

  static EvalError valueTooDeep() {
    return new EvalError("a value is nested deeper than " + MAX_VALUE_DEPTH
        + " levels (does a list or dict contain itself?)");
  }
}

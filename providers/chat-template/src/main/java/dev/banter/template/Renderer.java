package dev.banter.template;

import java.time.Clock;
import java.util.Map;

/**
 * The state of one render: the clock {@code strftime_now} reads, the budgets that stop runaway
 * templates, the current macro call depth and an optional observer of dict lookups. Not shared
 * between threads; every render makes its own.
 */
final class Renderer {
  /** Told about each successful dict lookup; used to learn which message fields a template reads. */
  interface AccessObserver {
    void accessed(Map<?, ?> container, Object key);
  }

  final Clock clock;
  private final String source;
  private final AccessObserver observer;
  private long steps;
  private long chars;
  private long items;
  private int callDepth;

  Renderer(String source, Clock clock, AccessObserver observer) {
    this.source = source;
    this.clock = clock;
    this.observer = observer;
  }

  void accessed(Map<?, ?> container, Object key) {
    if (observer != null) {
      observer.accessed(container, key);
    }
  }

  /** Counts one unit of work: a statement, a loop iteration, a call. */
  void step() {
    if (++steps > Limits.MAX_STEPS) {
      throw new EvalError("the template ran more than " + Limits.MAX_STEPS
          + " steps (statements, loop iterations and calls); it is probably looping without end");
    }
  }

  void chargeChars(long n) {
    chars += n;
    if (chars > Limits.MAX_TOTAL_CHARS) {
      throw new EvalError("the template produced more than " + Limits.MAX_TOTAL_CHARS
          + " chars of text in total");
    }
  }

  void chargeItems(long n) {
    items += n;
    if (items > Limits.MAX_TOTAL_ITEMS) {
      throw new EvalError("the template built lists with more than " + Limits.MAX_TOTAL_ITEMS
          + " items in total");
    }
  }

  /** Counts a string an operation made, failing when it is longer than one string may be. */
  String checkString(String s) {
    if (s.length() > Limits.MAX_STRING_CHARS) {
      throw new EvalError("a string of " + s.length() + " chars exceeds the limit of "
          + Limits.MAX_STRING_CHARS + " chars");
    }
    chargeChars(s.length());
    return s;
  }

  String concat(String a, String b) {
    if ((long) a.length() + b.length() > Limits.MAX_STRING_CHARS) {
      throw new EvalError("joining strings of " + a.length() + " and " + b.length()
          + " chars exceeds the limit of " + Limits.MAX_STRING_CHARS + " chars");
    }
    chargeChars((long) a.length() + b.length());
    return a.concat(b);
  }

  /** Appends text to an output buffer, within the size limits. */
  void emit(StringBuilder out, String text) {
    if ((long) out.length() + text.length() > Limits.MAX_STRING_CHARS) {
      throw new EvalError("the rendered text exceeds the limit of " + Limits.MAX_STRING_CHARS
          + " chars");
    }
    chargeChars(text.length());
    out.append(text);
  }

  void enterCall(String name) {
    step();
    if (++callDepth > Limits.MAX_CALL_DEPTH) {
      throw new EvalError("calls nest deeper than " + Limits.MAX_CALL_DEPTH + " levels (in '" + name
          + "'); is a macro calling itself without end?");
    }
  }

  void exitCall() {
    callDepth--;
  }

  /** Ties an evaluation failure to a template position. */
  TemplateException error(int position, EvalError e) {
    int[] lc = lineColumn(source, position);
    String where = "line " + lc[0] + ", column " + lc[1] + ": ";
    if (e.raised != null) {
      return new TemplateRaisedException(where + e.getMessage(), e.raised, lc[0], lc[1]);
    }
    return new TemplateException(where + e.getMessage(), lc[0], lc[1], null);
  }

  /** The 1-based line and column of an offset into a template source. */
  static int[] lineColumn(String source, int position) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(Math.max(position, 0), source.length());
    for (int i = 0; i < end; i++) {
      if (source.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, end - lineStart + 1};
  }
}

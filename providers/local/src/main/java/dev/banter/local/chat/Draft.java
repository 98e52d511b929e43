package dev.banter.local.chat;

import dev.banter.template.Json;
import dev.banter.template.JsonException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one parse of the output so far has found: answer text, reasoning text and tool calls, the
 * calls perhaps still incomplete. A parse is either <em>partial</em> (more output may follow, so
 * anything that could still turn into markup is held back) or final (what is left over is text).
 */
final class Draft {
  /** A tool call as far as it was read; {@code id} is empty when the output carries none. */
  record Call(String id, String name, String arguments, boolean complete) {}

  /** Returned by readers: the text ends inside the construct (partial parses only). */
  static final int PARTIAL = JsonScan.INCOMPLETE;
  /** Returned by readers: the text is not the construct; it stays text. */
  static final int INVALID = JsonScan.INVALID;

  final boolean partial;
  final StringBuilder content = new StringBuilder();
  final StringBuilder reasoning = new StringBuilder();
  final List<Call> calls = new ArrayList<>();
  /**
   * A point in the parsed text before which nothing can change as more text arrives, where a
   * parse may resume (see {@link BodyFormat#resumable()}); with the content length and call count
   * at that point.
   */
  int safe;
  int safeContent;
  int safeCalls;

  Draft(boolean partial) {
    this.partial = partial;
  }

  /** Records {@code at} as a point to resume from, with the content and calls read so far. */
  void safeAt(int at) {
    safe = at;
    safeContent = content.length();
    safeCalls = calls.size();
  }

  /** A reader's "the text ended here": wait for more when partial, give up when final. */
  int ended() {
    return partial ? PARTIAL : INVALID;
  }

  /** {@code code} from {@link JsonScan} with "incomplete" turned into "invalid" in a final parse. */
  int settle(int code) {
    return code == PARTIAL && !partial ? INVALID : code;
  }

  /**
   * Where {@code literal} ends when it stands at {@code i}; {@link #PARTIAL} when the text ends
   * inside it (partial parses), else {@link #INVALID}.
   */
  int expect(String s, int i, String literal) {
    if (s.startsWith(literal, i)) {
      return i + literal.length();
    }
    if (s.length() - i < literal.length() && literal.startsWith(s.substring(i))) {
      return ended();
    }
    return INVALID;
  }

  /** The content, reasoning and calls, with outer whitespace trimmed (trailing whitespace waits while partial). */
  Snapshot snapshot() {
    return new Snapshot(trim(content), trim(reasoning), List.copyOf(calls));
  }

  /** {@code b} without leading whitespace, nor trailing whitespace (which, while partial, may still be followed by text). */
  private static String trim(StringBuilder b) {
    int from = 0;
    int to = b.length();
    while (from < to && Character.isWhitespace(b.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(b.charAt(to - 1))) {
      to--;
    }
    return b.substring(from, to);
  }

  /**
   * The end of what may be shown of {@code s[from..]}: the text up to a final piece that could be
   * the start of one of {@code markers}, or the whole text when nothing could.
   */
  static int holdBack(String s, int from, List<String> markers) {
    int n = s.length();
    int longest = 0;
    for (String m : markers) {
      longest = Math.max(longest, m.length());
    }
    for (int k = Math.max(from, n - longest + 1); k < n; k++) {
      for (String m : markers) {
        if (n - k < m.length() && m.startsWith(s.substring(k))) {
          return k;
        }
      }
    }
    return n;
  }

  /** The string a JSON string literal stands for. */
  static String decode(String literal) {
    try {
      Object v = Json.parse(literal);
      return v instanceof String str ? str : null;
    } catch (JsonException e) {
      return null;
    }
  }
}

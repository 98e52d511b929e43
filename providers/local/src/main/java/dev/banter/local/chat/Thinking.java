package dev.banter.local.chat;

import java.util.List;

/** Splits a leading {@code <think>...</think>} block (reasoning) from the answer. */
final class Thinking {
  static final String OPEN = "<think>";
  static final String CLOSE = "</think>";

  private Thinking() {}

  /**
   * Adds the reasoning at the start of {@code s} to {@code out} and returns where the answer
   * begins, or -1 when the text so far is all reasoning (or may still become its opening tag).
   *
   * @param open whether the prompt already opened the block, so the output starts inside it
   */
  static int split(String s, boolean open, Draft out) {
    int i;
    if (open) {
      i = 0;
    } else {
      int j = 0;
      while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
        j++;
      }
      if (s.startsWith(OPEN, j)) {
        i = j + OPEN.length();
      } else if (out.partial && OPEN.startsWith(s.substring(j))) {
        return -1;
      } else {
        return 0;
      }
    }
    int close = s.indexOf(CLOSE, i);
    if (close < 0) {
      out.reasoning.append(s, i, out.partial ? Draft.holdBack(s, i, List.of(CLOSE)) : s.length());
      return -1;
    }
    out.reasoning.append(s, i, close);
    return close + CLOSE.length();
  }

  /** Whether a rendered prompt ends inside an opened, unclosed think block. */
  static boolean opensIn(String prompt) {
    return Texts.stripTrailing(prompt).endsWith(OPEN);
  }
}

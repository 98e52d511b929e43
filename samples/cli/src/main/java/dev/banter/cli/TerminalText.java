package dev.banter.cli;

/**
 * Model text made safe for a terminal: a model can generate any token, including ESC, BEL or an
 * OSC sequence that would recolour, retitle or rewrite the user's terminal. Line breaks and tabs
 * pass; every other control character is shown as its Unicode control picture ({@code ␛} for
 * ESC) or, for the C1 controls, as U+FFFD.
 */
final class TerminalText {
  private TerminalText() {}

  static String printable(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char shown = c == '\n' || c == '\t' ? c
          : c < 0x20 ? (char) (0x2400 + c)
          : c == 0x7F ? '\u2421'
          : c >= 0x80 && c < 0xA0 ? '\uFFFD'
          : c;
      if (shown != c && sb == null) {
        sb = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (sb != null) {
        sb.append(shown);
      }
    }
    return sb == null ? text : sb.toString();
  }
}

package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Issue #17, defect 7: a model's control characters never reach the terminal raw. */
class TerminalTextTest {
  @Test
  void escape_bell_and_osc_sequences_become_visible_and_line_breaks_stay() {
    assertEquals("\u241b[31mred\u241b]0;title\u2407 ok\n\tdone\u2421\uFFFD",
        TerminalText.printable("\u001b[31mred\u001b]0;title\u0007 ok\n\tdone\u007f\u009b"));
  }

  @Test
  void plain_text_is_returned_as_it_is() {
    String s = "Hello, wörld! 😀";
    assertSame(s, TerminalText.printable(s));
  }
}

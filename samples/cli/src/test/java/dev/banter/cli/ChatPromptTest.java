package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter chat --prompt} and piped standard input: one streamed answer, then exit. */
class ChatPromptTest {
  @TempDir
  Path home;

  @Test
  void a_prompt_prints_the_streamed_answer_and_a_summary_on_stderr() {
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("chat", "--backend", "eliza", "--prompt", "I need a holiday.", "--seed", "3"));
    String answer = t.out.text().trim();
    assertFalse(answer.isEmpty());
    assertTrue(t.err.text().contains("finish: stop"), t.err.text());
    assertTrue(t.err.text().matches("(?s).*\\[\\d+ tokens?.*"), t.err.text());
  }

  @Test
  void quiet_leaves_stderr_empty() {
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("chat", "--backend", "eliza", "--quiet", "--prompt", "Hello"));
    assertFalse(t.out.text().trim().isEmpty());
    assertEquals("", t.err.text());
  }

  @Test
  void piped_standard_input_is_the_prompt() {
    TestIo t = new TestIo(home).stdin("I am worried about my exams.\n");
    assertEquals(0, t.run("chat", "--backend", "eliza", "--seed", "1"));
    TestIo direct = new TestIo(home);
    assertEquals(0, direct.run("chat", "--backend", "eliza", "--seed", "1", "--prompt", "I am worried about my exams.\n"));
    assertEquals(direct.out.text(), t.out.text());
  }

  @Test
  void empty_standard_input_is_a_usage_error() {
    TestIo t = new TestIo(home).stdin("  \n");
    assertEquals(ExitCode.USAGE, t.run("chat", "--backend", "eliza"));
    assertTrue(t.err.text().contains("nothing to ask"), t.err.text());
  }

  @Test
  void max_tokens_cuts_the_answer_and_the_summary_says_so() {
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("chat", "--backend", "eliza", "--max-tokens", "2", "--prompt", "I feel tired of everything."));
    assertEquals(2, t.out.text().trim().split("\\s+").length, t.out.text());
    assertTrue(t.err.text().contains("finish: length"), t.err.text());
  }
}

package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.samples.demo.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code banter chat} with nothing chosen: the bundled demo model on the local engine. */
class DemoModelChatTest {
  private static final Pattern SUMMARY = Pattern.compile("\\[(\\d+) tokens?.*finish: (\\w+)");

  @TempDir
  Path home;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void a_joke_comes_back_in_plain_english_and_ends_by_itself(long seed) {
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("chat", "--prompt", "Tell me a joke.", "--seed", String.valueOf(seed)), t.err.text());
    String answer = t.out.text().trim();
    assertTrue(answer.matches("[\\x20-\\x7E\\n]+"), "printable ASCII only: " + answer);
    assertTrue(answer.matches("(?s).*[A-Za-z]{3,}.*[A-Za-z]{3,}.*"), "words: " + answer);
    assertTrue(!answer.contains(DemoModel.STOP), "the stop sequence is not part of the answer: " + answer);
    Matcher m = SUMMARY.matcher(t.err.text());
    assertTrue(m.find(), t.err.text());
    assertEquals("stop", m.group(2), "ended by EOS or the stop sequence, not the token limit: " + t.err.text());
    assertTrue(Integer.parseInt(m.group(1)) < DemoModel.CONTEXT_LENGTH, t.err.text());
    assertTrue(Files.isRegularFile(home.resolve("models").resolve(DemoModel.FILE_NAME)), "extracted to BANTER_HOME");
  }

  @Test
  void the_same_seed_gives_the_same_joke() {
    TestIo a = new TestIo(home);
    TestIo b = new TestIo(home);
    assertEquals(0, a.run("chat", "--prompt", "Tell me a joke.", "--seed", "9", "--quiet"));
    assertEquals(0, b.run("chat", "--prompt", "Tell me a joke.", "--seed", "9", "--quiet"));
    assertEquals(a.out.text(), b.out.text());
  }

  @Test
  void a_missing_model_file_is_a_model_load_error() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("chat", "--model", home.resolve("nope.gguf").toString(), "--prompt", "hi"));
    assertTrue(t.err.text().contains("nope.gguf"), t.err.text());
  }

  @Test
  void a_truncated_model_file_is_a_model_load_error() throws Exception {
    Path demo = DemoModel.extractTo(home.resolve("models"));
    Path cut = home.resolve("cut.gguf");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(demo), 4096));
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("chat", "--model", cut.toString(), "--prompt", "hi"));
    assertTrue(t.err.text().contains("cut.gguf"), t.err.text());
  }
}

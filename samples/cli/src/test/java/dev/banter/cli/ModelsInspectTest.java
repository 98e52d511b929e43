package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.samples.demo.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter models inspect}: the header of a GGUF file, in words. */
class ModelsInspectTest {
  @TempDir
  Path home;

  @Test
  void the_demo_model_is_described_from_its_header() {
    Path file = DemoModel.extractTo(home.resolve("models"));
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("models", "inspect", file.toString()));
    String out = t.out.text();
    assertTrue(out.contains("architecture  llama"), out);
    assertTrue(out.contains("name          banter-demo-fortunes"), out);
    assertTrue(out.contains("context       " + DemoModel.CONTEXT_LENGTH + " tokens"), out);
    assertTrue(out.matches("(?s).*parameters    6\\.6 M \\(6,565,536\\).*"), out);
    assertTrue(out.contains("tensor types  F32 ×13, Q8_0 ×44"), out);
    assertTrue(out.matches("(?s).*vocabulary    \\d+ tokens, tokenizer llama.*"), out);
    assertTrue(out.contains("size          7.0 MB (7,012,704 bytes)"), out);
    assertTrue(out.contains("{% for message in messages %}"), "shows the template's first lines: " + out);
  }

  @Test
  void template_lines_limits_how_much_of_the_template_shows() {
    Path file = DemoModel.extractTo(home.resolve("models"));
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("models", "inspect", file.toString(), "--template-lines", "1"));
    assertTrue(t.out.text().contains("… 5 more"), t.out.text());
    TestIo none = new TestIo(home);
    assertEquals(0, none.run("models", "inspect", file.toString(), "--template-lines", "0"));
    assertFalse(none.out.text().contains("{% for"), none.out.text());
  }

  @Test
  void a_truncated_file_is_a_model_load_error_with_the_offset() throws Exception {
    Path file = DemoModel.extractTo(home.resolve("models"));
    Path cut = home.resolve("cut.gguf");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(file), 1000));
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("models", "inspect", cut.toString()));
    assertTrue(t.err.text().contains("cut.gguf @"), t.err.text());
    assertEquals("", t.out.text());
  }

  @Test
  void a_missing_file_is_a_model_load_error() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("models", "inspect", home.resolve("none.gguf").toString()));
    assertTrue(t.err.text().contains("none.gguf"), t.err.text());
  }
}

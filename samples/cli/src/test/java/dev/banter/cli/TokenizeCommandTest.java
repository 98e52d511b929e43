package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.samples.demo.DemoModel;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter tokenize --vocab FILE [--special] [--bos]}, in-process. */
class TokenizeCommandTest {
  @TempDir
  Path home;

  private static List<Integer> ids(String line) {
    List<Integer> out = new ArrayList<>();
    for (String s : line.trim().split(" ")) {
      out.add(Integer.parseInt(s));
    }
    return out;
  }

  @Test
  void with_bos_it_prints_the_prompt_tokens_llama_cpp_evaluated() throws Exception {
    JsonNode ref;
    try (InputStream in = getClass().getResourceAsStream("/reference/banter-demo-fortunes-q8_0.joke.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    List<Integer> expected = new ArrayList<>();
    ref.get("prompt_tokens").forEach(n -> expected.add(n.intValue()));
    Path vocab = DemoModel.extractTo(home.resolve("models"));
    TestIo t = new TestIo(home).stdin(ref.get("prompt").textValue());
    assertEquals(ExitCode.OK, t.run("tokenize", "--vocab", vocab.toString(), "--bos"), t.err.text());
    assertEquals(expected, ids(t.out.text()));
    assertTrue(t.out.text().endsWith("\n"), "one line");

    TestIo plain = new TestIo(home).stdin(ref.get("prompt").textValue());
    assertEquals(ExitCode.OK, plain.run("tokenize", "--vocab", vocab.toString()), plain.err.text());
    assertEquals(expected.subList(1, expected.size()), ids(plain.out.text()), "no BOS unless asked");
  }

  @Test
  void special_recognises_control_tokens_only_when_asked() throws Exception {
    Path vocab = DemoModel.extractTo(home.resolve("models"));
    TestIo literal = new TestIo(home).stdin("</s>");
    assertEquals(ExitCode.OK, literal.run("tokenize", "--vocab", vocab.toString()), literal.err.text());
    assertTrue(ids(literal.out.text()).size() > 1, "as text: " + literal.out.text());
    TestIo special = new TestIo(home).stdin("</s>");
    assertEquals(ExitCode.OK, special.run("tokenize", "--vocab", vocab.toString(), "--special"), special.err.text());
    assertEquals(List.of(2), ids(special.out.text()), "EOS is token 2");
  }

  @Test
  void a_missing_or_foreign_file_fails_with_its_name_and_prints_nothing() throws Exception {
    TestIo t = new TestIo(home).stdin("x");
    assertEquals(ExitCode.MODEL_LOAD, t.run("tokenize", "--vocab", home.resolve("nope.gguf").toString()));
    assertTrue(t.err.text().contains("nope.gguf"), t.err.text());
    assertEquals("", t.out.text());
    Path text = Files.write(home.resolve("text.gguf"), "this is not a model file at all, sorry".getBytes(StandardCharsets.US_ASCII));
    TestIo u = new TestIo(home).stdin("x");
    assertEquals(ExitCode.MODEL_LOAD, u.run("tokenize", "--vocab", text.toString()));
    assertTrue(u.err.text().contains("not a GGUF file"), u.err.text());
  }

  @Test
  void vocab_is_required() {
    TestIo t = new TestIo(home).stdin("x");
    assertEquals(ExitCode.USAGE, t.run("tokenize"));
    assertTrue(t.err.text().contains("--vocab"), t.err.text());
  }
}

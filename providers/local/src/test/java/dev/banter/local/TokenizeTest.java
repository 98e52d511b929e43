package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return Tokenize.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true), new PrintStream(err, true));
  }

  private static String resource(String name) throws URISyntaxException {
    return Paths.get(TokenizeTest.class.getClassLoader().getResource(name).toURI()).toString();
  }

  @Test
  void prints_ids_space_separated_without_bos_by_default() throws Exception {
    assertEquals(0, run(" Hello world", "--vocab", resource("tokenizer/ggml-vocab-gpt-2.gguf")));
    assertEquals("18435 995\n", out.toString("UTF-8").replace("\r\n", "\n"));
  }

  @Test
  void bos_and_special_flags_reproduce_the_chat_prompt_tokens() throws Exception {
    String prompt = "<|im_start|>user\nHi<|im_end|>";
    assertEquals(0, run(prompt, "--vocab", resource("gguf/tiny-llama-f32.gguf"), "--bos", "--special"));
    String line = out.toString("UTF-8").trim();
    assertTrue(line.startsWith("1 638 "), line);
    assertTrue(line.endsWith(" 639"), line);
  }

  @Test
  void missing_file_fails_with_a_message_and_exit_code_1(@TempDir Path dir) {
    assertEquals(1, run("x", "--vocab", dir.resolve("nope.gguf").toString()));
    assertTrue(err.toString().contains("nope.gguf"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void a_file_that_is_not_gguf_fails_naming_the_offset(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("text.gguf");
    Files.write(f, "this is not a model file at all, sorry".getBytes(StandardCharsets.US_ASCII));
    assertEquals(1, run("x", "--vocab", f.toString()));
    assertTrue(err.toString().contains("@0") && err.toString().contains("not a GGUF file"), err.toString());
  }

  @Test
  void missing_vocab_argument_is_a_usage_error() {
    assertEquals(2, run("x"));
    assertTrue(err.toString().contains("--vocab"));
  }
}

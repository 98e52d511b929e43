package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line renderer prints exactly the rendering and reports bad input clearly. */
class RenderTemplateTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return RenderTemplate.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  private Path resource(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/chat-templates/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void prints_the_rendering_byte_for_byte_with_the_given_date() throws IOException {
    Path template = resource("meta-llama-Llama-3.1-8B-Instruct.jinja");
    Path input = resource("input.json");
    Path expected = resource("meta-llama-Llama-3.1-8B-Instruct.expected.txt");
    assertEquals(0, run("--template", template.toString(), "--input", input.toString(), "--date", "2026-11-28"));
    assertArrayEquals(Files.readAllBytes(expected), out.toByteArray());
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void passes_tools_from_the_input() throws IOException {
    Path template = Files.write(dir.resolve("t.jinja"), "{{ tools|length }}{{ add_generation_prompt is defined }}".getBytes(StandardCharsets.UTF_8));
    Path input = Files.write(dir.resolve("in.json"), "{\"messages\": [], \"tools\": [{\"type\": \"function\"}]}".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, run("--template", template.toString(), "--input", input.toString()));
    assertEquals("1False", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void reports_usage_errors() {
    assertEquals(2, run("--template", "x.jinja"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: RenderTemplate --template FILE.jinja --input INPUT.json"));
    assertEquals(2, run("--bogus"));
  }

  @Test
  void reports_bad_json_bad_templates_and_bad_dates() throws IOException {
    Path template = Files.write(dir.resolve("t.jinja"), "{% if %}".getBytes(StandardCharsets.UTF_8));
    Path badJson = Files.write(dir.resolve("bad.json"), "{\"messages\": [}".getBytes(StandardCharsets.UTF_8));
    Path goodJson = Files.write(dir.resolve("good.json"), "{\"messages\": []}".getBytes(StandardCharsets.UTF_8));
    assertEquals(1, run("--template", template.toString(), "--input", badJson.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("invalid JSON at line 1, column 15"), err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(1, run("--template", template.toString(), "--input", goodJson.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 1, column 7: expected an expression, found end of statement block"), err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(2, run("--template", template.toString(), "--input", goodJson.toString(), "--date", "28/11/2026"));
    err.reset();
    assertEquals(1, run("--template", dir.resolve("missing.jinja").toString(), "--input", goodJson.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cannot read "), err.toString(StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }
}

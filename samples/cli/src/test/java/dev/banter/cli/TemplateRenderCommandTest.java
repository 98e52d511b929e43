package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter template render --template FILE.jinja --input INPUT.json [--date YYYY-MM-DD]}, in-process. */
class TemplateRenderCommandTest {
  @TempDir
  Path dir;

  private Path resource(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/chat-templates/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void prints_llama_cpp_s_rendering_byte_for_byte_on_the_given_date() throws IOException {
    Path template = resource("meta-llama-Llama-3.1-8B-Instruct.jinja");
    Path input = resource("input.json");
    TestIo t = new TestIo(dir);
    assertEquals(ExitCode.OK, t.run("template", "render", "--template", template.toString(), "--input",
        input.toString(), "--date", "2026-11-28"), t.err.text());
    assertArrayEquals(Files.readAllBytes(resource("meta-llama-Llama-3.1-8B-Instruct.expected.txt")), t.out.bytes());
    assertEquals("", t.err.text());
  }

  @Test
  void passes_the_tools_of_the_input() throws IOException {
    Path template = write("t.jinja", "{{ tools|length }}{{ add_generation_prompt is defined }}");
    Path input = write("in.json", "{\"messages\": [], \"tools\": [{\"type\": \"function\"}]}");
    TestIo t = new TestIo(dir);
    assertEquals(ExitCode.OK, t.run("template", "render", "--template", template.toString(), "--input",
        input.toString()), t.err.text());
    assertEquals("1False", t.out.text());
  }

  @Test
  void bad_json_a_bad_template_and_a_missing_file_fail_with_where_and_what() throws IOException {
    Path template = write("t.jinja", "{% if %}");
    Path badJson = write("bad.json", "{\"messages\": [}");
    Path goodJson = write("good.json", "{\"messages\": []}");
    TestIo a = new TestIo(dir);
    assertEquals(ExitCode.FAILURE, a.run("template", "render", "--template", template.toString(), "--input",
        badJson.toString()));
    assertTrue(a.err.text().contains("bad.json is not valid JSON") && a.err.text().contains("line 1, column 15"),
        a.err.text());
    TestIo b = new TestIo(dir);
    assertEquals(ExitCode.FAILURE, b.run("template", "render", "--template", template.toString(), "--input",
        goodJson.toString()));
    assertTrue(b.err.text().contains("line 1, column 7: expected an expression, found end of statement block"),
        b.err.text());
    TestIo c = new TestIo(dir);
    assertEquals(ExitCode.FAILURE, c.run("template", "render", "--template", dir.resolve("missing.jinja").toString(),
        "--input", goodJson.toString()));
    assertTrue(c.err.text().contains("cannot read") && c.err.text().contains("missing.jinja"), c.err.text());
    TestIo d = new TestIo(dir);
    assertEquals(ExitCode.FAILURE, d.run("template", "render", "--template", template.toString(), "--input",
        write("list.json", "[1]").toString()));
    assertTrue(d.err.text().contains("a JSON object with \"messages\""), d.err.text());
    assertEquals("", a.out.text() + b.out.text() + c.out.text() + d.out.text());
  }

  @Test
  void usage_errors_exit_2() throws IOException {
    Path goodJson = write("good.json", "{\"messages\": []}");
    TestIo t = new TestIo(dir);
    assertEquals(ExitCode.USAGE, t.run("template", "render", "--template", "x.jinja"));
    assertTrue(t.err.text().contains("Missing required option: '--input=INPUT.json'"), t.err.text());
    assertEquals(ExitCode.USAGE, new TestIo(dir).run("template", "render", "--template", write("t.jinja", "x").toString(),
        "--input", goodJson.toString(), "--date", "28/11/2026"));
    assertEquals(ExitCode.USAGE, new TestIo(dir).run("template"));
  }

  @Test
  void utf8_is_required_of_both_files() throws IOException {
    Path template = Files.write(dir.resolve("latin1.jinja"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    TestIo t = new TestIo(dir);
    assertEquals(ExitCode.FAILURE, t.run("template", "render", "--template", template.toString(), "--input",
        write("good.json", "{\"messages\": []}").toString()));
    assertTrue(t.err.text().contains("latin1.jinja is not valid UTF-8"), t.err.text());
  }
}

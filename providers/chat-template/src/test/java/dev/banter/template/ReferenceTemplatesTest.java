package dev.banter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real models' chat templates render the reference conversation exactly as llama.cpp's Jinja
 * engine did (see chat-templates/README.md), byte for byte.
 */
class ReferenceTemplatesTest {

  static List<String> templates() throws IOException, URISyntaxException {
    Path dir = Paths.get(ReferenceTemplatesTest.class.getResource("/chat-templates").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".jinja"))
          .map(n -> n.substring(0, n.length() - ".jinja".length()))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void the_reference_set_holds_every_template_with_its_expected_rendering() throws Exception {
    List<String> names = templates();
    assertEquals(13, names.size(), names.toString());
    for (String name : names) {
      assertTrue(ReferenceTemplatesTest.class.getResource("/chat-templates/" + name + ".expected.txt") != null, name);
      assertTrue(ReferenceTemplatesTest.class.getResource("/chat-templates/" + name + ".no-system.expected.txt") != null,
          name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void renders_the_reference_conversation_exactly_as_llama_cpp(String name) {
    assertRendersAsLlamaCpp(name, "input.json", name + ".expected.txt");
  }

  /** No system message (so default system prompts show), untrimmed multi-line content, emoji, markup and quotes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void renders_a_conversation_without_system_message_exactly_as_llama_cpp(String name) {
    assertRendersAsLlamaCpp(name, "input-no-system.json", name + ".no-system.expected.txt");
  }

  private static void assertRendersAsLlamaCpp(String name, String inputFile, String expectedFile) {
    Map<?, ?> input = (Map<?, ?>) Json.parse(text(inputFile));
    @SuppressWarnings("unchecked")
    List<Map<String, ?>> messages = (List<Map<String, ?>>) input.get("messages");
    String rendering = ChatTemplate.parse(text(name + ".jinja"))
        .withClock(Render.CLOCK)
        .render(messages, (Boolean) input.get("add_generation_prompt"), (String) input.get("bos_token"),
            (String) input.get("eos_token"), Map.of());
    assertSameBytes(bytes(expectedFile), rendering.getBytes(StandardCharsets.UTF_8));
  }

  static void assertSameBytes(byte[] expected, byte[] actual) {
    if (Arrays.equals(expected, actual)) {
      return;
    }
    int i = 0;
    while (i < expected.length && i < actual.length && expected[i] == actual[i]) {
      i++;
    }
    fail("renderings differ at byte " + i + " (expected " + expected.length + " bytes, got " + actual.length
        + ")\n  expected: ..." + around(expected, i) + "...\n  actual:   ..." + around(actual, i) + "...");
  }

  private static String around(byte[] bytes, int at) {
    int from = Math.max(0, at - 40);
    int to = Math.min(bytes.length, at + 40);
    String s = new String(bytes, from, to - from, StandardCharsets.UTF_8);
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
  }

  static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }

  static byte[] bytes(String resource) {
    try (InputStream in = ReferenceTemplatesTest.class.getResourceAsStream("/chat-templates/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource chat-templates/" + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

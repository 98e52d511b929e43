package dev.banter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every chat template of llama.cpp's {@code models/templates} (see llama-cpp-templates/README.md)
 * parses, and renders the reference conversation of chat-templates/input.json, once without tools
 * and, when the template reads {@code tools}, once with one function. A template may refuse a
 * conversation with {@code raise_exception}; which ones do, and the few that fail as Hugging Face's
 * Jinja fails too, is pinned here.
 */
class LlamaCppTemplatesTest {
  private static final String TOOLS_JSON = "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
      + " \"description\": \"Get the current weather in a city.\", \"parameters\": {\"type\": \"object\", \"properties\":"
      + " {\"city\": {\"type\": \"string\", \"description\": \"The city name\"}}, \"required\": [\"city\"]}}}]";

  /** Templates that refuse the reference conversation with raise_exception, by render: none do. */
  private static final Set<String> RAISING = Set.of();

  /**
   * Templates written for llama.cpp's more lenient engine, which Hugging Face's Jinja refuses as
   * well: MiroThinker sets an attribute on a message dict ({@code set message.tool_calls = ...}),
   * and reads the loop variable {@code tool} inside a macro that cannot see it.
   */
  private static final Map<String, String> FAILING_AS_IN_JINJA = Map.of(
      "MiroThinker plain", "line 281, column 13: cannot assign attribute on non-namespace object ('message' is a dict)",
      "MiroThinker tools", "line 4, column 16: 'tool' is undefined",
      "MiroThinker-compat tools", "line 4, column 16: 'tool' is undefined");

  static List<String> templates() throws IOException, URISyntaxException {
    Path dir = Paths.get(LlamaCppTemplatesTest.class.getResource("/llama-cpp-templates").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".jinja"))
          .map(n -> n.substring(0, n.length() - ".jinja".length()))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void the_set_holds_the_88_distinct_templates_of_llama_cpp() throws Exception {
    List<String> names = templates();
    assertEquals(88, names.size(), names.toString());
    assertEquals(88, names.stream().map(LlamaCppTemplatesTest::source).distinct().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void parses(String name) {
    ChatTemplate.parse(source(name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void renders_the_reference_conversation_with_and_without_tools(String name) {
    String source = source(name);
    ChatTemplate template = ChatTemplate.parse(source).withClock(Render.CLOCK);
    check(name + " plain", () -> render(template, name, List.of()));
    if (source.contains("tools")) {
      check(name + " tools", () -> render(template, name, (List<?>) Json.parse(TOOLS_JSON)));
    }
  }

  @Test
  void the_templates_that_refuse_or_fail_are_exactly_the_known_ones() throws Exception {
    Set<String> raised = new TreeSet<>();
    Set<String> failed = new TreeSet<>();
    for (String name : templates()) {
      ChatTemplate template = ChatTemplate.parse(source(name)).withClock(Render.CLOCK);
      for (String variant : List.of("plain", "tools")) {
        try {
          render(template, name, variant.equals("plain") ? List.of() : (List<?>) Json.parse(TOOLS_JSON));
        } catch (TemplateRaisedException e) {
          raised.add(name + " " + variant);
        } catch (TemplateException e) {
          failed.add(name + " " + variant);
        }
      }
    }
    assertEquals(new TreeSet<>(RAISING), raised);
    assertEquals(new TreeSet<>(FAILING_AS_IN_JINJA.keySet()), failed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templatesReadingJsonArguments")
  void templates_read_tool_call_arguments_given_as_a_json_string_with_from_json(String name) {
    List<Map<String, ?>> messages = List.of(
        Map.of("role", "user", "content", "What is the weather?"),
        Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", "call12345", "type", "function",
            "function", Map.of("name", "get_weather", "arguments", "{\"city\": \"Reykjavík\"}")))),
        Map.of("role", "tool", "tool_call_id", "call12345", "content", "sunny"));
    String rendering = ChatTemplate.parse(source(name)).withClock(Render.CLOCK)
        .render(messages, true, "<s>", "</s>", Map.of("tools", Json.parse(TOOLS_JSON)));
    assertTrue(rendering.contains("Reykjavík") && !rendering.contains("\"city\": \"Reykjavík\""), rendering);
  }

  static List<String> templatesReadingJsonArguments() throws Exception {
    List<String> names = new ArrayList<>();
    for (String name : templates()) {
      if (source(name).contains("from_json") || source(name).contains("fromjson")) {
        names.add(name);
      }
    }
    assertEquals(4, names.size(), names.toString());
    return names;
  }

  /**
   * Renders as llama.cpp's chat layer does; for FireFunction v2 that includes the {@code functions}
   * variable (the tools as indented JSON, or empty) llama.cpp passes to that template.
   */
  private static String render(ChatTemplate template, String name, List<?> tools) {
    Map<?, ?> input = (Map<?, ?>) Json.parse(ReferenceTemplatesTest.text("input.json"));
    @SuppressWarnings("unchecked")
    List<Map<String, ?>> messages = (List<Map<String, ?>>) input.get("messages");
    Map<String, Object> extra = Render.variables("tools", tools);
    if (name.equals("fireworks-ai-llama-3-firefunction-v2")) {
      extra.put("functions", tools.isEmpty() ? "" : Render.render("{{ t|tojson(indent=2) }}", "t", tools));
    }
    return template.render(messages, (Boolean) input.get("add_generation_prompt"), (String) input.get("bos_token"),
        (String) input.get("eos_token"), extra);
  }

  private interface Rendering {
    String run();
  }

  /** Renders, allowing only the pinned refusals and failures, each with its pinned message. */
  private static void check(String key, Rendering rendering) {
    if (FAILING_AS_IN_JINJA.containsKey(key)) {
      TemplateException e = assertThrows(TemplateException.class, rendering::run);
      assertEquals(FAILING_AS_IN_JINJA.get(key), e.getMessage());
    } else if (RAISING.contains(key)) {
      assertThrows(TemplateRaisedException.class, rendering::run);
    } else {
      assertTrue(!rendering.run().isEmpty(), key);
    }
  }

  static String source(String name) {
    try (InputStream in = LlamaCppTemplatesTest.class.getResourceAsStream("/llama-cpp-templates/" + name + ".jinja")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource llama-cpp-templates/" + name + ".jinja");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.banter.site.snippets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatResponse;
import dev.banter.api.ConfigurationException;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import dev.banter.api.Role;
import dev.banter.core.Banter;
import dev.banter.samples.demo.DemoModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site's snippets that can run offline, run on the ELIZA plugin: what the pages show works. */
class SnippetsRunTest {
  private static ChatModel eliza(String wordDelay) {
    return Banter.builder().backend("eliza").set("word-delay", wordDelay).build();
  }

  @Test
  void the_first_program_answers_on_the_demo_model() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      FirstChat.main(new String[] {DemoModel.path().toString()});
    } finally {
      System.setOut(original);
    }
    assertFalse(bytes.toString(StandardCharsets.UTF_8).trim().isEmpty(), "the demo model said something");
  }

  @Test
  void a_request_with_options_and_a_persona_is_answered() {
    try (ChatModel model = eliza("0ms")) {
      ChatResponse r = ConceptsSnippets.request(model);
      assertEquals(FinishReason.STOP, r.finishReason());
      assertFalse(r.text().isEmpty());
    }
  }

  @Test
  void iterating_a_stream_prints_the_whole_answer() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ChatModel model = eliza("1ms")) {
      ConceptsSnippets.iterate(model, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertTrue(lines[0].split(" ").length > 2, lines[0]);
    assertTrue(lines[1].endsWith(" ms to the first token"), lines[1]);
  }

  @Test
  void a_listener_with_demand_receives_the_answer_then_the_finish_reason() {
    StringBuilder screen = new StringBuilder();
    try (ChatModel model = eliza("1ms")) {
      ConceptsSnippets.listen(model, screen);
    }
    assertTrue(screen.toString().endsWith(" [STOP]"), screen.toString());
  }

  @Test
  void a_cancelled_stream_still_completes_as_cancelled() {
    try (ChatModel model = eliza("200ms")) {
      ChatResponse partial = ConceptsSnippets.cancel(model);
      assertEquals(FinishReason.CANCELLED, partial.finishReason());
    }
  }

  @Test
  void a_persona_built_in_code_answers_when_a_request_names_it() {
    Persona pirate = ConceptsSnippets.persona();
    assertEquals("Captain Banter", pirate.displayName());
    try (ChatModel model = ConceptsSnippets.withPirate("eliza", pirate)) {
      assertTrue(model.personas().contains(pirate));
      assertEquals("witty", model.defaultPersona().get().id());
    }
  }

  @Test
  void a_conversation_keeps_its_history_across_a_persona_switch_and_a_restore() {
    try (ChatModel model = eliza("0ms")) {
      List<Message> saved = ConceptsSnippets.conversation(model);
      assertEquals(6, saved.size());
      assertEquals(Role.USER, saved.get(0).role());
      assertEquals("Sum it up in one sentence.", saved.get(4).content());
    }
  }

  @Test
  void the_error_handling_snippet_passes_answers_through() {
    try (ChatModel model = eliza("0ms")) {
      assertFalse(ConceptsSnippets.errors(model).startsWith("Failed"));
    }
  }

  @Test
  void the_plugin_answers_through_the_runtime() {
    String answer = PluginSnippets.use();
    assertTrue(answer.contains("a holiday"), answer);
  }

  @Test
  void the_configuration_file_on_the_configuration_page_is_valid(@TempDir Path dir) throws IOException {
    Path file = Paths.get("src/test/resources/config/banter.json");
    Map<String, String> env = Map.of("XAI_API_KEY", "xai-test-key");
    // Reading the file checks every field and resolves ${XAI_API_KEY}; building would reach xAI.
    assertDoesNotThrow(() -> Banter.builder().environment(env::get).configFile(file));

    Path typo = Files.writeString(dir.resolve("banter.json"),
        Files.readString(file).replace("\"fallbacks\"", "\"fallback\""));
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().environment(env::get).configFile(typo));
    assertTrue(e.getMessage().contains("'fallback' is unknown"), e.getMessage());
  }

  @Test
  void the_micrometer_observer_times_a_chat_on_the_demo_model() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (ChatModel model = ObservabilitySnippets.micrometer(registry, DemoModel.path().toString())) {
      model.chat(dev.banter.api.ChatRequest.of("Tell me a joke."));
    }
    assertEquals(1, registry.get("banter.chat.duration").tags("app", "support-bot", "backend", "local").timer().count());
    assertTrue(registry.get("banter.chat.tokens").tags("type", "output").counter().count() > 0);
  }

  @Test
  void the_opentelemetry_observer_makes_the_chat_a_child_span() {
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans =
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    try (io.opentelemetry.sdk.OpenTelemetrySdk otel = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
        .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans)).build())
        .build();
        ChatModel model = ObservabilitySnippets.openTelemetry(otel, DemoModel.path().toString())) {
      assertFalse(ObservabilitySnippets.answerInsideASpan(otel, model).isEmpty());
      check(spans.getFinishedSpanItems());
    }
  }

  /** Read before the SDK closes: closing the exporter forgets its spans. */
  private static void check(List<io.opentelemetry.sdk.trace.data.SpanData> done) {
    assertEquals(List.of("chat", "handle ticket"), done.stream().map(io.opentelemetry.sdk.trace.data.SpanData::getName)
        .toList());
    assertEquals(done.get(1).getSpanId(), done.get(0).getParentSpanId());
    assertEquals("local", done.get(0).getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(
        "gen_ai.provider.name")));
  }
}

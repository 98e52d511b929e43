package dev.banter.samples.webchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void without_options_the_demo_model_is_served_on_localhost_8080() {
    Options o = Options.parse();
    assertEquals("local", o.backend);
    assertTrue(o.usesDemoModel());
    assertEquals("127.0.0.1", o.host);
    assertEquals(8080, o.port);
    assertEquals(Duration.ZERO, o.pace);
    assertEquals("witty", o.persona);
    assertFalse(o.help);
  }

  @Test
  void options_take_their_value_after_a_space_or_an_equals_sign() {
    Options o = Options.parse("--backend", "inference-server", "--set", "endpoints=http://gpu1:8000/v1,http://gpu2:8000/v1",
        "--set=api-key=k=v", "--port=0", "--host", "0.0.0.0", "--persona", "regular", "--persona-file", "pirate.json",
        "--pace", "60ms");
    assertEquals("inference-server", o.backend);
    assertEquals(Map.of("endpoints", "http://gpu1:8000/v1,http://gpu2:8000/v1", "api-key", "k=v"), o.settings);
    assertEquals(0, o.port);
    assertEquals("0.0.0.0", o.host);
    assertEquals("regular", o.persona);
    assertEquals(List.of(Paths.get("pirate.json")), o.personaFiles);
    assertEquals(Duration.ofMillis(60), o.pace);
    assertFalse(o.usesDemoModel());
  }

  @Test
  void a_model_of_ones_own_replaces_the_demo_model() {
    assertFalse(Options.parse("--model", "llama.gguf").usesDemoModel());
    assertFalse(Options.parse("--set", "model=llama.gguf").usesDemoModel());
  }

  @Test
  void bad_options_say_what_is_wrong() {
    assertEquals("Unknown option --colour. Run with --help to see the options.",
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--colour", "red")).getMessage());
    assertEquals("--port needs a number from 0 to 65535, got 70000.",
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--port", "70000")).getMessage());
    assertEquals("--set needs KEY=VALUE, got 'threads'.",
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--set", "threads")).getMessage());
    assertEquals("--pace needs a duration such as 60ms or 1s, got 'fast'.",
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--pace", "fast")).getMessage());
    assertEquals("Option --backend needs a value.",
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--backend")).getMessage());
    assertEquals("Unexpected argument 'chat'; options start with --.",
        assertThrows(IllegalArgumentException.class, () -> Options.parse("chat")).getMessage());
  }

  @Test
  void main_prints_the_usage_for_help_and_exits_2_on_a_bad_option() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, WebChat.run(new String[] {"--help"}, o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--backend ID"));
    assertEquals(2, WebChat.run(new String[] {"--port", "x"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port needs a number"));
  }

  @Test
  void an_unknown_backend_fails_with_the_ids_found() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(1, WebChat.run(new String[] {"--backend", "nope"}, System.out, e));
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("nope") && message.contains("eliza"), message);
  }
}

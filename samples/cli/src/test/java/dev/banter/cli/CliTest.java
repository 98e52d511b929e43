package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, usage errors and exit codes, the same for every command. */
class CliTest {
  @TempDir
  Path home;

  @ParameterizedTest
  @ValueSource(strings = {"", "chat", "serve", "models", "models inspect", "models pull", "models list", "eval"})
  void every_command_has_help_that_lists_the_exit_codes(String command) {
    TestIo t = new TestIo(home);
    String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
    assertEquals(0, t.run(args));
    String help = t.out.text();
    assertTrue(help.contains("Usage: banter"), help);
    assertTrue(help.contains("Exit codes:"), help);
    for (String code : new String[] {"0", "1", "2", "3", "4", "130"}) {
      assertTrue(help.contains("  " + code + "  ") || help.contains(" " + code + "   "), code + " missing:\n" + help);
    }
  }

  @Test
  void the_bare_command_prints_usage_and_is_a_usage_error() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run());
    assertTrue(t.err.text().contains("chat"), t.err.text());
  }

  @Test
  void an_unknown_option_is_a_usage_error_with_a_pointer_to_help() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("chat", "--temprature", "1"));
    assertTrue(t.err.text().contains("--temprature"), t.err.text());
    assertTrue(t.err.text().contains("--temperature"), "suggests the near miss: " + t.err.text());
    assertTrue(t.err.text().contains("banter chat --help"), t.err.text());
  }

  @Test
  void an_out_of_range_sampling_option_is_a_usage_error() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("chat", "--backend", "eliza", "--temperature", "7", "--prompt", "hi"));
    assertTrue(t.err.text().contains("--temperature"), t.err.text());
  }

  @Test
  void serve_refuses_an_empty_api_key_as_a_usage_error() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("serve", "--backend", "eliza", "--api-key", ""));
    assertTrue(t.err.text().contains("--api-key"), t.err.text());
  }

  @Test
  void serve_refuses_a_cors_origin_that_is_not_an_origin() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("serve", "--backend", "eliza", "--cors-origin", "app.example/chat"));
    assertTrue(t.err.text().contains("--cors-origin") && t.err.text().contains("scheme://host"), t.err.text());
  }

  @Test
  void an_unknown_backend_is_a_configuration_error_listing_the_ids_found() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.CONFIGURATION, t.run("chat", "--backend", "nope", "--prompt", "hi"));
    assertTrue(t.err.text().contains("nope"), t.err.text());
    assertTrue(t.err.text().contains("eliza"), t.err.text());
  }

  @Test
  void an_unknown_persona_is_a_configuration_error() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.CONFIGURATION, t.run("chat", "--backend", "eliza", "--persona", "wity", "--prompt", "hi"));
    assertTrue(t.err.text().contains("wity"), t.err.text());
    assertTrue(t.err.text().contains("witty"), t.err.text());
  }

  @Test
  void a_backend_option_that_contradicts_the_config_file_is_a_usage_error() throws Exception {
    Path config = home.resolve("banter.json");
    Files.writeString(config, "{\"backend\": \"eliza\"}");
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("chat", "--config", config.toString(), "--backend", "openai", "--prompt", "hi"));
    assertTrue(t.err.text().contains(config.toString()), t.err.text());
  }

  @Test
  void a_config_file_chooses_the_backend() throws Exception {
    Path config = home.resolve("banter.json");
    Files.writeString(config, "{\"backend\": \"eliza\", \"persona\": \"regular\"}");
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.OK, t.run("chat", "--config", config.toString(), "--prompt", "I am sad."));
    assertFalse(t.out.text().trim().isEmpty());
  }

  @Test
  void a_broken_config_file_is_a_configuration_error() throws Exception {
    Path config = home.resolve("banter.json");
    Files.writeString(config, "{\"backend\": ");
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.CONFIGURATION, t.run("chat", "--config", config.toString(), "--prompt", "hi"));
    assertTrue(t.err.text().contains("banter.json"), t.err.text());
  }

  @Test
  void version_names_the_java_runtime() {
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("--version"));
    assertTrue(t.out.text().contains("Java " + System.getProperty("java.version")), t.out.text());
  }
}

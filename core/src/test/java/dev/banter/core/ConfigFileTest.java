package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  private Path write(String name, String json) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, json.getBytes(StandardCharsets.UTF_8));
    return f;
  }

  @Test
  void a_configuration_file_builds_a_model_with_persona_files_and_fallbacks() throws Exception {
    write("pirate.json", "{\"id\":\"pirate\",\"systemPrompt\":\"Answer as a pirate.\"}");
    Path f = write("banter.json", "{\"backend\":\"eliza\",\"settings\":{\"word-delay\":\"0ms\"},"
        + "\"fallbacks\":[{\"backend\":\"eliza\"}],\"persona\":\"pirate\",\"personas\":[\"pirate.json\"],"
        + "\"resilience\":{\"maxAttempts\":2,\"initialBackoff\":\"10ms\",\"circuitBreaker\":false}}");
    try (ChatModel model = Banter.fromConfig(f)) {
      assertEquals("pirate", model.defaultPersona().get().id());
      assertTrue(model.toString().contains("eliza -> eliza"), model.toString());
      assertTrue(model.toString().contains("attempts=2"), model.toString());
      assertTrue(!model.chat("I need a holiday.").text().isEmpty());
    }
  }

  @Test
  void environment_variables_are_expanded_in_settings() throws Exception {
    Path f = write("banter.json", "{\"backend\":\"eliza\",\"settings\":{\"word-delay\":\"${DELAY}\"}}");
    try (ChatModel model = Banter.builder().environment(Map.of("DELAY", "1ms")::get).configFile(f).build()) {
      assertTrue(!model.chat("hello").text().isEmpty());
    }
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().environment(name -> null).configFile(f));
    assertTrue(e.getMessage().contains("DELAY"), e.getMessage());
    assertEquals("settings.word-delay", e.field().orElse(""));
  }

  @Test
  void an_unknown_field_is_named_with_the_known_ones() throws Exception {
    Path f = write("banter.json", "{\"backend\":\"eliza\",\"persnoa\":\"witty\"}");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Banter.fromConfig(f));
    assertEquals("persnoa", e.field().orElse(""));
    assertTrue(e.getMessage().contains("Known fields: backend, fallbacks, persona, personas, resilience, settings"),
        e.getMessage());
  }

  @Test
  void a_bad_resilience_value_names_its_field() throws Exception {
    Path f = write("banter.json", "{\"backend\":\"eliza\",\"resilience\":{\"maxAttempts\":0}}");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Banter.fromConfig(f));
    assertEquals("resilience.maxAttempts", e.field().orElse(""));
    Path g = write("banter2.json", "{\"backend\":\"eliza\",\"resilience\":{\"idleTimeout\":\"soon\"}}");
    ConfigurationException e2 = assertThrows(ConfigurationException.class, () -> Banter.fromConfig(g));
    assertEquals("resilience.idleTimeout", e2.field().orElse(""));
  }

  @Test
  void a_rate_limit_wait_without_a_rate_limit_is_an_error_not_a_silent_no_op() throws Exception {
    Path f = write("banter.json", "{\"backend\":\"eliza\",\"resilience\":{\"rateLimitWait\":\"2s\"}}");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Banter.fromConfig(f));
    assertEquals("resilience.rateLimitWait", e.field().orElse(""));
    assertTrue(e.getMessage().contains("rateLimitPerSecond"), e.getMessage());
  }

  @Test
  void a_wrongly_typed_setting_is_echoed_without_the_credentials_of_its_urls() throws Exception {
    Path f = write("banter.json", "{\"backend\":\"inference-server\",\"settings\":{\"endpoints\":"
        + "[\"http://ops:hunter2@gpu1:8000/v1\"]}}");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Banter.fromConfig(f));
    assertEquals("settings.endpoints", e.field().orElse(""));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void a_missing_file_is_a_configuration_error_naming_it() {
    Path f = dir.resolve("nope.json");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Banter.fromConfig(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }
}

package dev.banter.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BackendConfigTest {
  @Test
  void code_wins_over_system_properties_which_win_over_the_environment() {
    Properties props = new Properties();
    props.setProperty("banter.xai.model", "from-property");
    props.setProperty("banter.xai.timeout", "5s");
    Map<String, String> env = Map.of("BANTER_XAI_MODEL", "from-env", "BANTER_XAI_BASE_URL", "http://env",
        "BANTER_XAI_TIMEOUT", "9s");
    BackendConfig c = BackendConfig.builder("xai").set("model", "from-code").systemProperties(props)
        .environment(env::get).build();
    assertEquals("from-code", c.require("model"));
    assertEquals(Duration.ofSeconds(5), c.getDuration("timeout", Duration.ZERO));
    assertEquals("http://env", c.require("base-url"));
    assertEquals("BANTER_XAI_BASE_URL", c.environmentName("base-url"));
    assertEquals("banter.xai.base-url", c.propertyName("base-url"));
  }

  @Test
  void a_missing_required_setting_names_every_place_it_was_looked_for() {
    BackendConfig c = BackendConfig.builder("local").environment(n -> null).systemProperties(new Properties()).build();
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> c.require("model"));
    assertTrue(e.getMessage().contains("banter.local.model"), e.getMessage());
    assertTrue(e.getMessage().contains("BANTER_LOCAL_MODEL"), e.getMessage());
    assertEquals("model", e.field().get());
  }

  @Test
  void typed_accessors_parse_and_name_bad_values() {
    BackendConfig c = BackendConfig.builder("local").set("threads", "4").set("ratio", "0.5").set("flag", "yes")
        .set("list", " a, b ,,c ").set("wait", "250ms").set("bad", "four").environment(n -> null)
        .systemProperties(new Properties()).build();
    assertEquals(4, c.getInt("threads", 1));
    assertEquals(0.5, c.getDouble("ratio", 0));
    assertTrue(c.getBoolean("flag", false));
    assertEquals(List.of("a", "b", "c"), c.getList("list"));
    assertEquals(Duration.ofMillis(250), c.getDuration("wait", Duration.ZERO));
    assertEquals(7, c.getInt("absent", 7));
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> c.getInt("bad", 1));
    assertEquals("Backend 'local': setting 'bad' must be an integer, got 'four'.", e.getMessage());
  }

  @Test
  void secrets_come_from_settings_or_named_environment_variables_and_never_print() {
    BackendConfig c = BackendConfig.builder("xai").environment(Map.of("XAI_API_KEY", "sk-env-123")::get)
        .systemProperties(new Properties()).build();
    Secret s = c.secret("api-key", "XAI_API_KEY").get();
    assertEquals("sk-env-123", s.reveal());
    assertEquals("****", s.toString());
    BackendConfig coded = BackendConfig.builder("xai").set("api-key", "sk-code-456").set("model", "grok").build();
    assertFalse(coded.toString().contains("sk-code-456"), coded.toString());
    assertTrue(coded.toString().contains("model=grok"));
    ConfigurationException e = assertThrows(ConfigurationException.class, () ->
        BackendConfig.builder("xai").set("api-key", "sk-x").set("token-count", "lots").build().getInt("token-count", 0));
    assertFalse(e.getMessage().contains("lots"), "a secret-looking setting's value is not echoed");
  }

  @Test
  void an_empty_secret_setting_counts_as_unset() {
    BackendConfig c = BackendConfig.builder("xai").set("api-key", "").environment(n -> null)
        .systemProperties(new Properties()).build();
    assertFalse(c.secret("api-key").isPresent());
    assertFalse(c.get("api-key").isPresent());
  }

  @Test
  void urls_print_without_their_user_information_or_query() {
    BackendConfig c = BackendConfig.builder("inference-server")
        .set("base-url", "https://bob:hunter2@gpu1:8000/v1?sig=abc123")
        .set("endpoints", "http://gpu2:8000/v1,http://alice:pw@gpu3/v1").build();
    String shown = c.toString();
    for (String hidden : new String[] {"hunter2", "bob", "abc123", "alice", ":pw"}) {
      assertFalse(shown.contains(hidden), shown);
    }
    assertTrue(shown.contains("https://****@gpu1:8000/v1?****"), shown);
    assertTrue(shown.contains("http://gpu2:8000/v1,http://****@gpu3/v1"), shown);
    assertEquals("https://bob:hunter2@gpu1:8000/v1?sig=abc123", c.require("base-url"), "the value itself is kept");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> c.getInt("base-url", 0));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void secret_comparison_checks_every_byte() {
    Secret s = Secret.of("abc");
    assertTrue(s.matches("abc"));
    assertFalse(s.matches("abd"));
    assertFalse(s.matches("ab"));
    assertFalse(s.matches(null));
    assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
  }

  @Test
  void durations_accept_units_plain_seconds_and_iso() {
    assertEquals(Duration.ofMillis(1500), BackendConfig.parseDuration("1.5s"));
    assertEquals(Duration.ofMinutes(2), BackendConfig.parseDuration("2m"));
    assertEquals(Duration.ofSeconds(3), BackendConfig.parseDuration("3"));
    assertEquals(Duration.ofSeconds(30), BackendConfig.parseDuration("PT30S"));
    assertThrows(RuntimeException.class, () -> BackendConfig.parseDuration("soon"));
  }

  @Test
  void an_unknown_key_is_refused_with_the_closest_known_one_and_the_full_list() {
    List<Setting> known = List.of(Setting.of("threads", "t"), Setting.of("model", "m"), Setting.of("context", "c"));
    BackendConfig typo = BackendConfig.builder("local").set("model", "m.gguf").set("thread", "4")
        .systemProperties(new Properties()).build();
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> typo.requireKnown(known));
    assertEquals("Backend 'local' has no setting 'thread'. Did you mean 'threads'? Its settings: context, model,"
        + " threads.", e.getMessage());
    BackendConfig.builder("local").set("threads", "4").systemProperties(new Properties()).build().requireKnown(known);
  }

  @Test
  void system_properties_are_read_once_when_the_configuration_is_built_and_checked_like_keys() {
    Properties props = new Properties();
    props.setProperty("banter.local.threads", "2");
    BackendConfig c = BackendConfig.builder("local").systemProperties(props).environment(n -> null).build();
    props.setProperty("banter.local.threads", "8");
    props.setProperty("banter.local.contxt", "10");
    assertEquals(2, c.getInt("threads", 1), "later changes to the properties do not reach a built configuration");
    c.requireKnown(List.of(Setting.of("threads", "t")));
    BackendConfig later = BackendConfig.builder("local").systemProperties(props).environment(n -> null).build();
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> later.requireKnown(List.of(Setting.of("threads", "t"), Setting.of("context", "c"))));
    assertTrue(e.getMessage().contains("'contxt' (system property banter.local.contxt). Did you mean 'context'?"),
        e.getMessage());
  }
}

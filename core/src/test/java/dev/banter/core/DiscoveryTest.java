package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ConfigurationException;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Setting;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
  @Test
  void discovery_finds_the_sample_plugin_through_service_loader() {
    BackendRegistry registry = BackendRegistry.discover(getClass().getClassLoader());
    assertTrue(registry.ids().contains("eliza"), "found: " + registry.ids());
    try (ChatModel model = Banter.builder().backend("eliza").persona("regular").build()) {
      assertFalse(model.chat("I need a holiday.").text().isEmpty());
    }
  }

  @Test
  void missing_backend_error_lists_ids_found() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().backend("openai").build());
    assertEquals("No Banter backend with id 'openai'. Found: eliza, inference-server, xai. Add the"
        + " dev.banter:banter-openai dependency, or choose one of the ids found.", e.getMessage());
    assertEquals("openai", e.field().orElse(""));
  }

  @Test
  void an_unknown_plugin_id_is_named_with_advice() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().backend("hal9000").build());
    assertTrue(e.getMessage().startsWith("No Banter backend with id 'hal9000'. Found: eliza, inference-server, xai. Add the plugin jar"),
        e.getMessage());
  }

  @Test
  void no_backend_chosen_lists_the_choices() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Banter.builder().build());
    assertEquals("No backend chosen. Call backend(id) with one of: eliza, inference-server, xai.", e.getMessage());
  }

  @Test
  void two_providers_with_one_id_are_refused_naming_both() {
    BackendProvider impostor = new Impostor();
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().backend("eliza").provider(impostor).build());
    assertTrue(e.getMessage().contains("dev.banter.samples.eliza.ElizaProvider"), e.getMessage());
    assertTrue(e.getMessage().contains(Impostor.class.getName()), e.getMessage());
  }

  @Test
  void a_provider_built_for_another_spi_version_is_refused() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().backend("old").provider(provider("old", 0, NOT_CALLED)).build());
    assertTrue(e.getMessage().contains("built for Banter SPI version 0"), e.getMessage());
  }

  @Test
  void a_provider_built_for_another_spi_version_does_not_keep_the_others_from_loading() {
    try (ChatModel model = Banter.builder().backend("eliza").provider(provider("old", 0, NOT_CALLED)).persona("regular")
        .build()) {
      assertFalse(model.chat("Hello.").text().isEmpty());
    }
  }

  @Test
  void a_provider_failing_unexpectedly_is_a_configuration_error_naming_it() {
    BackendProvider buggy = provider("buggy", BackendProvider.SPI_VERSION, config -> {
      throw new NullPointerException("settings map");
    });
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().backend("buggy").provider(buggy).build());
    assertTrue(e.getMessage().contains(buggy.getClass().getName()), e.getMessage());
    assertTrue(e.getMessage().contains("settings map"), e.getMessage());
  }

  @Test
  void a_provider_with_an_invalid_id_is_skipped_and_named() {
    BackendProvider shouting = provider("Shouting Backend", BackendProvider.SPI_VERSION, NOT_CALLED);
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Banter.builder().backend("Shouting Backend").provider(shouting).build());
    assertTrue(e.getMessage().contains("lower-case"), e.getMessage());
    try (ChatModel model = Banter.builder().backend("eliza").provider(shouting).persona("regular").build()) {
      assertFalse(model.chat("Hello.").text().isEmpty());
    }
  }

  private static final Function<BackendConfig, Backend> NOT_CALLED = config -> {
    throw new AssertionError("must not be called");
  };

  /** A provider with this id and SPI version whose create() is {@code create}. */
  private static BackendProvider provider(String id, int spiVersion, Function<BackendConfig, Backend> create) {
    return new BackendProvider() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public int spiVersion() {
        return spiVersion;
      }

      @Override
      public List<Setting> settings() {
        return List.of();
      }

      @Override
      public Backend create(BackendConfig config) {
        return create.apply(config);
      }
    };
  }

  @Test
  void a_broken_provider_is_skipped_and_named_while_the_others_load(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.write(services.resolve(BackendProvider.class.getName()),
        "com.example.DoesNotExist\n".getBytes(StandardCharsets.UTF_8));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      BackendRegistry registry = BackendRegistry.discover(loader);
      assertTrue(registry.ids().contains("eliza"));
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> registry.require("nope"));
      assertTrue(e.getMessage().contains("com.example.DoesNotExist"), e.getMessage());
    }
  }

  static final class Impostor implements BackendProvider {
    @Override
    public String id() {
      return "eliza";
    }

    @Override
    public int spiVersion() {
      return SPI_VERSION;
    }

    @Override
    public List<Setting> settings() {
      return List.of();
    }

    @Override
    public Backend create(BackendConfig config) {
      throw new AssertionError("must not be called");
    }
  }
}

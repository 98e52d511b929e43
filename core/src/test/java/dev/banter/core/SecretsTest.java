package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.AuthenticationException;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Setting;
import dev.banter.spi.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static final String KEY = "xai-SUPERSECRET-0123456789";

  /** A backend that does what careless code does with its configuration: logs it, prints it, throws it. */
  static final class LeakyProvider implements BackendProvider {
    @Override
    public String id() {
      return "leaky";
    }

    @Override
    public int spiVersion() {
      return SPI_VERSION;
    }

    @Override
    public List<Setting> settings() {
      return List.of(Setting.of("api-key", "the key"), Setting.of("model", "the model"));
    }

    @Override
    public Backend create(BackendConfig config) {
      Logger.getLogger("leaky").info("creating backend with " + config);
      System.out.println("config: " + config);
      Secret key = config.secret("api-key", "LEAKY_API_KEY").orElseThrow();
      Logger.getLogger("leaky").info("key is " + key);
      return new Backend() {
        @Override
        public String id() {
          return "leaky";
        }

        @Override
        public BackendCapabilities capabilities() {
          return BackendCapabilities.of();
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
          throw new AuthenticationException("The key " + key + " was refused by " + config, "leaky", null);
        }

        @Override
        public ChatStream stream(ChatRequest request) {
          throw new AuthenticationException("refused " + key, "leaky", null);
        }

        @Override
        public OptionalInt countTokens(List<Message> messages) {
          return OptionalInt.empty();
        }

        @Override
        public List<ModelInfo> models() {
          return List.of();
        }

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void an_api_key_logged_printed_and_put_in_an_exception_never_shows() {
    List<String> logged = new ArrayList<>();
    Handler capture = new Handler() {
      private final SimpleFormatter f = new SimpleFormatter();

      @Override
      public void publish(LogRecord r) {
        logged.add(f.format(r));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    Level before = root.getLevel();
    root.setLevel(Level.ALL);
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      ChatModel model = Banter.builder().backend("leaky").provider(new LeakyProvider()).secret("api-key", KEY)
          .set("model", "grok-4").resilience(Resilience.none()).build();
      AuthenticationException e = assertThrows(AuthenticationException.class, () -> model.chat("hi"));
      String everything = String.join("\n", logged) + printed.toString(StandardCharsets.UTF_8)
          + e.getMessage() + e + model;
      assertFalse(everything.contains(KEY), everything);
      assertFalse(everything.contains("SUPERSECRET"), everything);
      assertTrue(everything.contains("****"), "the key shows as ****");
      assertTrue(printed.toString(StandardCharsets.UTF_8).contains("model=grok-4"), "other settings still show");
    } finally {
      System.setOut(out);
      root.removeHandler(capture);
      root.setLevel(before);
    }
  }

  @Test
  void a_key_set_as_a_plain_setting_is_still_a_secret() {
    BackendConfig c = BackendConfig.builder("xai").set("api-key", KEY).set("model", "grok").build();
    assertFalse(c.toString().contains(KEY), c.toString());
    assertTrue(c.secret("api-key").isPresent());
    assertTrue(c.secret("api-key").get().matches(KEY));
  }
}

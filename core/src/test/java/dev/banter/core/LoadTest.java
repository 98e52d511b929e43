package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.banter.api.ChatModel;
import dev.banter.spi.BackendLoad;
import dev.banter.spi.LoadReporting;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A chat model reports the load of its backends, for a server's {@code /metrics}. */
class LoadTest {
  private static ChatModel model(ScriptedBackend primary, ScriptedBackend fallback) {
    return Banter.builder().backend(primary.id).provider(primary.provider()).provider(fallback.provider())
        .fallback(fallback.id, Map.of()).noDefaultPersona().build();
  }

  @Test
  void the_chain_adds_up_the_backends_that_know_their_load() {
    ScriptedBackend primary = new ScriptedBackend("primary");
    ScriptedBackend fallback = new ScriptedBackend("fallback");
    primary.load = Optional.of(BackendLoad.of(2, 4, 3, 1000, 16384));
    fallback.load = Optional.of(BackendLoad.of(1, 1, 0, 10, 2048));
    try (ChatModel model = model(primary, fallback)) {
      LoadReporting reporting = assertInstanceOf(LoadReporting.class, model);
      assertEquals(Optional.of(BackendLoad.of(3, 5, 3, 1010, 18432)), reporting.load());
      fallback.load = Optional.empty();
      assertEquals(primary.load, reporting.load(), "a backend that cannot tell is left out");
    }
  }

  @Test
  void a_chain_of_remote_backends_reports_no_load() {
    try (ChatModel model = model(new ScriptedBackend("primary"), new ScriptedBackend("fallback"))) {
      assertEquals(Optional.empty(), ((LoadReporting) model).load());
    }
  }
}

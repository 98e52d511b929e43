package dev.banter.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.core.Banter;
import dev.banter.core.Resilience;
import dev.banter.samples.eliza.ElizaProvider;
import dev.banter.spi.testkit.DownBackendProvider;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real chat calls through core into an in-memory registry: what each meter holds afterwards. */
class MicrometerObserverTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private ChatModel model(MicrometerObserver observer, boolean primaryDown) {
    Banter.Builder b = Banter.builder().provider(new ElizaProvider()).observer(observer).persona("witty")
        .resilience(Resilience.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(1)).noCircuitBreaker().build());
    if (primaryDown) {
      b.backend("down").provider(new DownBackendProvider()).fallback("eliza", Map.of());
    } else {
      b.backend("eliza");
    }
    return b.build();
  }

  @Test
  void a_whole_answer_and_a_stream_are_timed_and_their_tokens_counted_with_backend_model_and_persona() {
    MicrometerObserver observer = MicrometerObserver.builder(registry).tags("app", "test").build();
    ChatResponse whole;
    ChatResponse streamed;
    try (ChatModel model = model(observer, false)) {
      whole = model.chat(ChatRequest.builder().user("I feel happy today.").build());
      ChatStream stream = model.stream(ChatRequest.builder().user("My mother likes cheese.").build());
      stream.forEach(chunk -> { });
      streamed = stream.await();
    }
    Timer call = registry.get("banter.chat.duration").tags("app", "test", "backend", "eliza", "model", "eliza-1966",
        "persona", "witty", "streaming", "false", "outcome", "stop", "error", "none").timer();
    assertEquals(1, call.count());
    assertTrue(call.totalTime(TimeUnit.NANOSECONDS) > 0);
    assertEquals(1, registry.get("banter.chat.duration").tags("streaming", "true").timer().count());
    assertEquals(2, registry.get("banter.chat.time.to.first.token").timers().stream().mapToLong(Timer::count).sum());
    double output = registry.get("banter.chat.tokens").tags("type", "output").counters().stream()
        .mapToDouble(c -> c.count()).sum();
    assertEquals(whole.usage().orElseThrow().completionTokens() + streamed.usage().orElseThrow().completionTokens(),
        output, 0);
    double input = registry.get("banter.chat.tokens").tags("type", "input", "persona", "witty").counters().stream()
        .mapToDouble(c -> c.count()).sum();
    assertEquals(whole.usage().orElseThrow().promptTokens() + streamed.usage().orElseThrow().promptTokens(), input, 0);
    assertEquals(0.0, registry.get("banter.chat.active").gauge().value(), "no call is left under way");
  }

  @Test
  void retries_fallbacks_and_failures_are_counted_with_the_error() {
    MicrometerObserver observer = MicrometerObserver.builder(registry).build();
    try (ChatModel model = model(observer, true)) {
      model.chat(ChatRequest.builder().user("Hello?").build());
      model.chat(ChatRequest.builder().user("Anyone there?").build());
    }
    try (ChatModel alone = Banter.builder().backend("down").provider(new DownBackendProvider()).observer(observer)
        .resilience(Resilience.builder().maxAttempts(1).noCircuitBreaker().build()).build()) {
      assertThrows(BackendUnavailableException.class, () -> alone.chat(ChatRequest.builder().user("Hello?").build()));
    }
    assertEquals(2.0, registry.get("banter.chat.retries").tags("backend", "down", "error",
        "BackendUnavailableException").counter().count(), "one retry per call on the dead primary");
    assertEquals(2.0, registry.get("banter.chat.fallbacks").tags("from", "down", "to", "eliza").counter().count());
    Timer failed = registry.get("banter.chat.duration").tags("outcome", "error", "error",
        "BackendUnavailableException", "backend", "down").timer();
    assertEquals(1, failed.count());
    assertEquals(2, registry.get("banter.chat.duration").tags("outcome", "stop", "backend", "eliza").timer().count());
    assertEquals(0.0, registry.get("banter.chat.active").gauge().value());
  }
}

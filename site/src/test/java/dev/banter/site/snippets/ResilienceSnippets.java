package dev.banter.site.snippets;

import dev.banter.api.BanterException;
import dev.banter.api.ChatModel;
import dev.banter.core.Banter;
import dev.banter.core.ChatObserver;
import dev.banter.core.RequestInfo;
import dev.banter.core.Resilience;
import java.time.Duration;
import java.util.Map;

/** The code of the resilience page; compiled with the build, the fallback chain needs real backends. */
final class ResilienceSnippets {
  private ResilienceSnippets() {}

  static Resilience policy() {
    // tag::policy[]
    Resilience policy = Resilience.builder()
        .maxAttempts(4)                                   // per backend, the first included
        .initialBackoff(Duration.ofMillis(250))           // 250 ms, 500 ms, 1 s... with jitter
        .maxBackoff(Duration.ofSeconds(4))
        .maxRetryAfter(Duration.ofSeconds(30))            // a longer Retry-After moves on instead
        .circuitBreaker(10, 50, Duration.ofSeconds(20))   // opens at 50 % failures of the last 10 calls
        .maxConcurrentCalls(32)                           // per backend; more calls are refused
        .firstTokenTimeout(Duration.ofSeconds(15))
        .idleTimeout(Duration.ofSeconds(30))
        .build();
    // end::policy[]
    return policy;
  }

  static ChatModel chain(Resilience policy) {
    // tag::chain[]
    ChatModel model = Banter.builder()
        .backend("xai").set("model", "grok-4")
        .fallback("inference-server", Map.of("endpoints", "http://gpu1:8000/v1,http://gpu2:8000/v1"))
        .fallback("local", Map.of("model", "models/Llama-3.2-3B-Instruct-Q4_K_M.gguf"))
        .resilience(policy)
        .persona("witty")
        .build();
    // end::chain[]
    return model;
  }

  static ChatObserver observer() {
    // tag::observer[]
    ChatObserver log = new ChatObserver() {
      @Override
      public void onRetry(RequestInfo request, String backendId, int attempt, Duration delay, BanterException cause) {
        System.err.println(backendId + " attempt " + attempt + " failed (" + cause.getMessage() + "), retrying in "
            + delay.toMillis() + " ms");
      }

      @Override
      public void onFallback(RequestInfo request, String from, String to, BanterException cause) {
        System.err.println(from + " gave up (" + cause.getMessage() + "); " + to + " answers instead");
      }
    };
    // end::observer[]
    return log;
  }
}

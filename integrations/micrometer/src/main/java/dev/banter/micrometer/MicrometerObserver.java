package dev.banter.micrometer;

import dev.banter.api.BanterException;
import dev.banter.api.ChatResponse;
import dev.banter.core.ChatObserver;
import dev.banter.core.RequestInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChatObserver} that records every call of a Banter {@code ChatModel} in a Micrometer
 * {@link MeterRegistry}:
 *
 * <ul>
 *   <li>{@code banter.chat.duration} (timer) — the whole call, tagged {@code backend}, {@code model},
 *       {@code persona}, {@code streaming}, {@code outcome} ({@code stop}, {@code length},
 *       {@code tool_calls}, {@code content_filter}, {@code cancelled} or {@code error}) and
 *       {@code error} (the exception's simple name, or {@code none});
 *   <li>{@code banter.chat.time.to.first.token} (timer) — tagged {@code backend}, {@code model},
 *       {@code persona}, {@code streaming};
 *   <li>{@code banter.chat.tokens} (counter) — tokens in and out, tagged {@code type} ({@code input}
 *       or {@code output}), {@code backend}, {@code model}, {@code persona}, {@code streaming};
 *   <li>{@code banter.chat.retries} (counter) — tagged {@code backend} and {@code error};
 *   <li>{@code banter.chat.fallbacks} (counter) — tagged {@code from} and {@code to};
 *   <li>{@code banter.chat.active} (gauge) — calls under way.
 * </ul>
 *
 * <p>{@code model} is the model that answered, else the one requested, else {@code unknown};
 * {@code backend} is the backend that answered or failed, else {@code unknown}. Times come from
 * the registry's clock. Percentile histograms, SLOs and renames are the registry's business:
 * configure them with a {@code MeterFilter} (or Spring Boot's {@code management.metrics.distribution.*}).
 * One observer may serve several chat models. Thread-safe.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();
 * ChatModel model = Banter.builder().backend("local").set("model", "qwen3-4b.gguf")
 *     .observer(MicrometerObserver.builder(registry).tags("app", "support-bot").build())
 *     .build();
 * }</pre>
 */
public final class MicrometerObserver implements ChatObserver {
  private static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final Tags common;
  private final AtomicInteger active = new AtomicInteger();
  /** Start times of the calls under way, by their {@link RequestInfo} (one per call, compared by identity). */
  private final Map<RequestInfo, Long> started = Collections.synchronizedMap(new IdentityHashMap<>());

  private MicrometerObserver(Builder b) {
    this.registry = b.registry;
    this.common = b.tags;
    Gauge.builder("banter.chat.active", active, AtomicInteger::get).description("Chat calls under way")
        .tags(common).register(registry);
  }

  /** A builder for an observer recording in {@code registry}. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  @Override
  public void onRequest(RequestInfo request) {
    started.put(request, registry.config().clock().monotonicTime());
    active.incrementAndGet();
  }

  @Override
  public void onRetry(RequestInfo request, String backendId, int attempt, Duration delay, BanterException cause) {
    Counter.builder("banter.chat.retries").description("Attempts that failed before the first token and were retried")
        .tags(common).tag("backend", backendId).tag("error", cause.getClass().getSimpleName())
        .register(registry).increment();
  }

  @Override
  public void onFallback(RequestInfo request, String fromBackend, String toBackend, BanterException cause) {
    Counter.builder("banter.chat.fallbacks").description("Calls handed to the next backend of the fallback chain")
        .tags(common).tag("from", fromBackend).tag("to", toBackend).register(registry).increment();
  }

  @Override
  public void onFirstToken(RequestInfo request, String backendId, Duration timeToFirstToken) {
    timer("banter.chat.time.to.first.token", "Time from a chat call to its first token",
        tags(request, backendId, request.request().model().orElse(UNKNOWN)))
        .record(timeToFirstToken);
  }

  @Override
  public void onComplete(RequestInfo request, ChatResponse response) {
    String backend = response.backendId().orElse(UNKNOWN);
    String model = response.model().or(() -> request.request().model()).orElse(UNKNOWN);
    Tags tags = tags(request, backend, model);
    response.usage().ifPresent(u -> {
      tokens(tags, "input").increment(u.promptTokens());
      tokens(tags, "output").increment(u.completionTokens());
    });
    finished(request, tags.and("outcome", response.finishReason().name().toLowerCase(Locale.ROOT), "error", "none"));
  }

  @Override
  public void onError(RequestInfo request, BanterException error) {
    Tags tags = tags(request, error.backendId().orElse(UNKNOWN), request.request().model().orElse(UNKNOWN));
    finished(request, tags.and("outcome", "error", "error", error.getClass().getSimpleName()));
  }

  private void finished(RequestInfo request, Tags tags) {
    Long start = started.remove(request);
    if (start == null) {
      return;
    }
    active.decrementAndGet();
    timer("banter.chat.duration", "Chat calls from request to their last token or failure", tags)
        .record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
  }

  private Tags tags(RequestInfo request, String backend, String model) {
    return common.and(Tag.of("backend", backend), Tag.of("model", model),
        Tag.of("persona", request.personaId().orElse("none")), Tag.of("streaming", Boolean.toString(request.streaming())));
  }

  private Counter tokens(Tags tags, String type) {
    return Counter.builder("banter.chat.tokens").description("Tokens of the prompts and the answers").baseUnit("tokens")
        .tags(tags).tag("type", type).register(registry);
  }

  private Timer timer(String name, String description, Tags tags) {
    return Timer.builder(name).description(description).tags(tags).register(registry);
  }

  @Override
  public String toString() {
    return "MicrometerObserver{" + registry.getClass().getSimpleName() + ", tags=" + common + '}';
  }

  /** Collects the observer's settings. Not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private Tags tags = Tags.empty();

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Tags added to every meter, as key-value pairs: {@code tags("app", "support-bot")}. */
    public Builder tags(String... keyValues) {
      this.tags = tags.and(keyValues);
      return this;
    }

    public MicrometerObserver build() {
      return new MicrometerObserver(this);
    }
  }
}

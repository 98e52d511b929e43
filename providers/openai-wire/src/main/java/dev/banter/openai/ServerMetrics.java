package dev.banter.openai;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatSubscription;
import dev.banter.api.Usage;
import dev.banter.spi.BackendLoad;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code GET /metrics} reports: responses by endpoint and status, chat completions by how
 * they ended, tokens in and out, time to first token, time per output token and request duration
 * as histograms, and — read at scrape time — requests in flight and the model's slots, queue and
 * KV cache. Names follow Prometheus conventions (seconds, {@code _total} counters) with the
 * {@code banter_} prefix. Thread-safe; recording never blocks.
 */
final class ServerMetrics {
  /** Routes counted by name; any other path is counted as {@code other}, so paths cannot grow the label set. */
  private static final Set<String> ENDPOINTS = Set.of("/v1/chat/completions", "/v1/responses",
      "/v1/responses/{id}", "/v1/models", "/v1/models/{id}", "/health", "/metrics");

  private final Map<List<String>, LongAdder> responses = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> completions = new ConcurrentHashMap<>();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();
  private final Histogram timeToFirstToken = new Histogram("banter_time_to_first_token_seconds",
      "Time from a chat completion's request to its first chunk, queueing and prompt evaluation included.",
      0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
  private final Histogram timePerOutputToken = new Histogram("banter_time_per_output_token_seconds",
      "Mean time between output tokens after the first, one observation per chat completion.",
      0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2, 0.5, 1);
  private final Histogram requestDuration = new Histogram("banter_request_duration_seconds",
      "Time from a chat completion's request to the end of its generation.",
      0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);

  /** Counts a response whose status line is being written. */
  void responded(String path, int status) {
    String endpoint = ENDPOINTS.contains(path) ? path : "other";
    responses.computeIfAbsent(List.of(endpoint, Integer.toString(status)), k -> new LongAdder()).increment();
  }

  /** Starts measuring a generation requested at {@code startNanos}; wrap its listener with the meter. */
  Meter meter(long startNanos) {
    return new Meter(startNanos);
  }

  /**
   * Times one chat completion: it sees every chunk on its way to the real listener, and is told
   * when the generation ended.
   */
  final class Meter {
    private final long start;
    private volatile long firstChunk;
    private volatile int chunks;

    private Meter(long start) {
      this.start = start;
    }

    ChatListener wrap(ChatListener listener) {
      return new ChatListener() {
        @Override
        public void onSubscribe(ChatSubscription subscription) {
          listener.onSubscribe(subscription);
        }

        @Override
        public void onChunk(ChatChunk chunk) {
          if (chunks++ == 0) {
            firstChunk = System.nanoTime();
          }
          listener.onChunk(chunk);
        }

        @Override
        public void onComplete(ChatResponse response) {
          listener.onComplete(response);
        }

        @Override
        public void onError(BanterException error) {
          listener.onError(error);
        }
      };
    }

    /** The generation ended with {@code response}, or failed when it is null. */
    void ended(ChatResponse response) {
      long end = System.nanoTime();
      String outcome = response == null ? "error" : response.finishReason().name().toLowerCase(Locale.ROOT);
      completions.computeIfAbsent(List.of(outcome), k -> new LongAdder()).increment();
      requestDuration.observeNanos(end - start);
      int seen = chunks;
      if (seen > 0) {
        timeToFirstToken.observeNanos(firstChunk - start);
      }
      Optional<Usage> usage = response == null ? Optional.empty() : response.usage();
      usage.ifPresent(u -> {
        promptTokens.add(u.promptTokens());
        completionTokens.add(u.completionTokens());
      });
      int tokens = usage.map(Usage::completionTokens).orElse(seen);
      if (seen > 0 && tokens > 1) {
        timePerOutputToken.observeNanos((end - firstChunk) / (tokens - 1));
      }
    }
  }

  /** The metrics now, in the Prometheus text format. */
  String scrape(int inFlight, int maxConcurrent, Optional<BackendLoad> load) {
    StringBuilder out = new StringBuilder(4096);
    PrometheusText.counter(out, "banter_http_responses_total", "HTTP responses by endpoint and status code.",
        List.of("endpoint", "status"), sorted(responses));
    PrometheusText.counter(out, "banter_chat_completions_total",
        "Chat completions generated (for /v1/chat/completions and /v1/responses alike), by how they ended: stop, "
            + "length, tool_calls, content_filter, cancelled (the client left or the stream stalled) or error.", List.of("outcome"), sorted(completions));
    PrometheusText.counter(out, "banter_prompt_tokens_total", "Prompt tokens of the chat completions answered.",
        promptTokens.sum());
    PrometheusText.counter(out, "banter_completion_tokens_total", "Tokens generated for the chat completions.",
        completionTokens.sum());
    timeToFirstToken.writeTo(out);
    timePerOutputToken.writeTo(out);
    requestDuration.writeTo(out);
    PrometheusText.gauge(out, "banter_requests_in_flight", "Chat completions being served now.", inFlight);
    PrometheusText.gauge(out, "banter_requests_max", "Chat completions served at once before 429.", maxConcurrent);
    load.ifPresent(l -> {
      PrometheusText.gauge(out, "banter_slots_busy", "Generation slots generating now.", l.busySlots());
      PrometheusText.gauge(out, "banter_slots_total", "Generation slots of the model's backends.", l.slots());
      PrometheusText.gauge(out, "banter_queue_depth", "Requests waiting for a generation slot.", l.queued());
      PrometheusText.gauge(out, "banter_kv_cache_tokens", "Tokens held in the KV caches.", l.cachedTokens());
      PrometheusText.gauge(out, "banter_kv_cache_capacity_tokens", "Tokens the KV caches can hold.",
          l.cacheCapacity());
      PrometheusText.gauge(out, "banter_kv_cache_usage_ratio", "Fraction of the KV caches in use.", l.cacheUse());
    });
    return out.toString();
  }

  /** Counters in a stable order, so that successive scrapes read alike. */
  private static Map<List<String>, Long> sorted(Map<List<String>, LongAdder> counters) {
    Map<List<String>, Long> out = new TreeMap<>(ServerMetrics::compare);
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}

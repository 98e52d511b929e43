package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.openai.testing.ScriptedChatModel;
import dev.banter.spi.BackendLoad;
import dev.banter.spi.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /metrics}: what it counts after real requests, and that Prometheus can parse it. */
@Timeout(30)
class ServerMetricsTest {
  private static final String KEY = "metrics-key-0123456789";
  private static final String CHAT = "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? (\\S+)");

  private final Vertx vertx = Vertx.vertx();
  private final ScriptedChatModel model = new ScriptedChatModel();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void start(OpenAiServerHandler handler) throws Exception {
    server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every sample of the scrape, by name and labels as written; fails on a line Prometheus would reject. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not a Prometheus sample line: " + line);
      double v = switch (m.group(3)) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(m.group(3));
      };
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), v);
    }
    return samples;
  }

  @Test
  void after_a_few_requests_the_scrape_counts_them_and_reads_the_models_load() throws Exception {
    model.load = Optional.of(BackendLoad.of(1, 4, 2, 300, 4 * 4096));
    start(OpenAiServerHandler.builder(model).apiKey(Secret.of(KEY)).build());
    assertEquals(200, send("POST", "/v1/chat/completions", CHAT + "}", KEY).statusCode());
    assertEquals(200, send("POST", "/v1/chat/completions", CHAT + ",\"stream\":true}", KEY).statusCode());
    assertEquals(200, send("POST", "/v1/chat/completions", CHAT + ",\"max_tokens\":1,\"stream\":true}", KEY)
        .statusCode());
    assertEquals(401, send("POST", "/v1/chat/completions", CHAT + "}", null).statusCode());
    assertEquals(404, send("GET", "/admin/%22passwd%0A", null, null).statusCode());
    assertEquals(400, send("POST", "/v1/chat/completions", "{", KEY).statusCode());

    HttpResponse<String> scrape = send("GET", "/metrics", null, KEY);
    assertEquals(200, scrape.statusCode());
    assertEquals(PrometheusText.CONTENT_TYPE, scrape.headers().firstValue("Content-Type").orElseThrow());
    Map<String, Double> m = parse(scrape.body());

    assertEquals(3.0, m.get("banter_http_responses_total{endpoint=\"/v1/chat/completions\",status=\"200\"}"));
    assertEquals(1.0, m.get("banter_http_responses_total{endpoint=\"/v1/chat/completions\",status=\"401\"}"));
    assertEquals(1.0, m.get("banter_http_responses_total{endpoint=\"/v1/chat/completions\",status=\"400\"}"));
    assertEquals(1.0, m.get("banter_http_responses_total{endpoint=\"other\",status=\"404\"}"),
        "an unknown path is counted as 'other', never as a label of its own");
    assertEquals(2.0, m.get("banter_chat_completions_total{outcome=\"stop\"}"));
    assertEquals(1.0, m.get("banter_chat_completions_total{outcome=\"length\"}"));
    assertEquals(9.0 * 3, m.get("banter_prompt_tokens_total"));
    assertEquals(3.0 + 3 + 1, m.get("banter_completion_tokens_total"));
    assertEquals(3.0, m.get("banter_time_to_first_token_seconds_count"));
    assertEquals(3.0, m.get("banter_time_to_first_token_seconds_bucket{le=\"+Inf\"}"));
    assertEquals(2.0, m.get("banter_time_per_output_token_seconds_count"),
        "one observation per completion with two tokens or more");
    assertEquals(3.0, m.get("banter_request_duration_seconds_count"));
    assertEquals(0.0, m.get("banter_requests_in_flight"), "every slot is free once the answers are out");
    assertEquals(64.0, m.get("banter_requests_max"));
    assertEquals(1.0, m.get("banter_slots_busy"));
    assertEquals(4.0, m.get("banter_slots_total"));
    assertEquals(2.0, m.get("banter_queue_depth"));
    assertEquals(300.0, m.get("banter_kv_cache_tokens"));
    assertEquals(300.0 / (4 * 4096), m.get("banter_kv_cache_usage_ratio"), 1e-12);
    bucketsIncrease(scrape.body(), "banter_time_to_first_token_seconds");
    bucketsIncrease(scrape.body(), "banter_request_duration_seconds");
  }

  private static void bucketsIncrease(String text, String histogram) {
    double previous = 0;
    int buckets = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(histogram + "_bucket{")) {
        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertTrue(v >= previous, "buckets are cumulative: " + line);
        previous = v;
        buckets++;
      }
    }
    assertTrue(buckets > 2, histogram + " has buckets");
  }

  @Test
  void a_cancelled_stream_is_counted_as_cancelled() throws Exception {
    model.delayMillis = 200;
    start(OpenAiServerHandler.builder(model).build());
    java.util.concurrent.CompletableFuture<HttpResponse<java.io.InputStream>> pending = http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(CHAT + ",\"stream\":true}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<java.io.InputStream> r = pending.get(10, TimeUnit.SECONDS);
    r.body().read();
    r.body().close();
    assertTrue(model.cancelled.await(10, TimeUnit.SECONDS), "the client left, so the stream was cancelled");
    Map<String, Double> m = Map.of();
    for (int i = 0; i < 100 && !m.containsKey("banter_chat_completions_total{outcome=\"cancelled\"}"); i++) {
      Thread.sleep(20);
      m = parse(send("GET", "/metrics", null, null).body());
    }
    assertEquals(1.0, m.get("banter_chat_completions_total{outcome=\"cancelled\"}"));
    assertFalse(m.containsKey("banter_slots_busy"), "a model that reports no load has no load gauges");
  }

  @Test
  void metrics_need_the_key_when_the_server_has_one_and_can_be_turned_off() throws Exception {
    start(OpenAiServerHandler.builder(model).apiKey(Secret.of(KEY)).build());
    assertEquals(401, send("GET", "/metrics", null, null).statusCode());
    assertEquals(405, send("POST", "/metrics", "", KEY).statusCode());
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    start(OpenAiServerHandler.builder(model).metrics(false).build());
    HttpResponse<String> off = send("GET", "/metrics", null, null);
    assertEquals(404, off.statusCode());
    assertFalse(off.body().contains("/metrics."), off.body());
  }

  @Test
  void label_values_are_escaped_and_numbers_written_as_prometheus_reads_them() {
    assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escape("a\\b\"c\nd"));
    assertEquals("3", PrometheusText.number(3.0));
    assertEquals("0.25", PrometheusText.number(0.25));
    assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
    StringBuilder out = new StringBuilder();
    PrometheusText.counter(out, "x_total", "help", List.of("k"), Map.of(List.of("v\"1"), 2L));
    assertTrue(out.toString().endsWith("x_total{k=\"v\\\"1\"} 2\n"), out.toString());
  }
}

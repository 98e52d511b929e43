package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.core.Banter;
import dev.banter.core.Resilience;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter serve}: access log, defaults, personas, limits, shutdown. */
@Timeout(120)
class ServeTest {
  private static final String KEY = "serve-test-key-8e2d";

  @TempDir
  Path home;

  private Served served;
  private ChatModel client;

  private ChatModel client() {
    client = Banter.builder().backend("inference-server").set("base-url", served.baseUrl)
        .set("health-interval", "0s").secret("api-key", KEY).noDefaultPersona().resilience(Resilience.none()).build();
    return client;
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (served != null) {
      served.close();
    }
  }

  @Test
  void the_access_log_has_a_line_per_request_with_the_model_and_never_the_key() throws Exception {
    served = Served.start(home, "--backend", "eliza", "--api-key", KEY);
    client().chat(ChatRequest.builder().user("I like cheese.").model("eliza-1966").build());
    HttpClient raw = HttpClient.newHttpClient();
    HttpResponse<String> denied = raw.send(HttpRequest.newBuilder(URI.create(served.baseUrl + "/models"))
        .header("Authorization", "Bearer wrong-key-123").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, denied.statusCode());
    // A line is written when its response has been sent, after the client may have read it: wait
    // for both whole lines, whatever they say, then check them.
    Pattern chatLine = Pattern.compile(" POST /v1/chat/completions [^\n]*\n");
    Pattern modelsLine = Pattern.compile(" GET /v1/models [^\n]*\n");
    String log = served.io.err.await(t -> chatLine.matcher(t).find() && modelsLine.matcher(t).find(),
        java.time.Duration.ofSeconds(30), "the lines of both requests");
    assertTrue(log.matches("(?s).*127\\.0\\.0\\.1 POST /v1/chat/completions 200 \\d+ ms model=eliza-1966\n.*"), log);
    assertTrue(log.contains("GET /v1/models 401"), log);
    assertFalse(log.contains(KEY), log);
    assertFalse(log.contains("wrong-key-123"), log);
  }

  @Test
  void command_line_sampling_options_are_defaults_under_what_the_client_sends() throws Exception {
    served = Served.start(home, "--backend", "eliza", "--api-key", KEY, "--max-tokens", "1");
    ChatResponse byDefault = client().chat(ChatRequest.builder().user("I feel tired of my job.").model("eliza-1966")
        .build());
    assertEquals(1, byDefault.usage().orElseThrow().completionTokens());
    assertEquals(FinishReason.LENGTH, byDefault.finishReason());
    ChatResponse asked = client.chat(ChatRequest.builder().user("I feel tired of my job.").model("eliza-1966")
        .options(GenerationOptions.builder().maxTokens(3).build()).build());
    assertEquals(3, asked.usage().orElseThrow().completionTokens());
  }

  @Test
  void requests_reach_the_backend_as_sent_unless_a_persona_is_given() throws Exception {
    try (ScriptedServer far = new ScriptedServer()) {
      served = Served.start(home, concat(far.backendArgs(), "--api-key", KEY));
      client().chat(ChatRequest.builder().system("You are a pirate.").user("Hi").model("scripted").build());
      Message system = far.model.requests.get(0).messages().get(0);
      assertEquals(Role.SYSTEM, system.role());
      assertEquals("You are a pirate.", system.content());
      served.stop();
      client.close();

      served = Served.start(home, concat(far.backendArgs(), "--api-key", KEY, "--persona", "witty"));
      client().chat(ChatRequest.builder().user("Hi").model("scripted").build());
      Message persona = far.model.requests.get(1).messages().get(0);
      assertEquals(Role.SYSTEM, persona.role());
      assertTrue(persona.content().contains("Banter"), persona.content());
    }
  }

  @Test
  void an_oversize_body_is_refused_with_413() throws Exception {
    served = Served.start(home, "--backend", "eliza", "--max-body", "2KiB");
    String big = "{\"model\":\"eliza-1966\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(4096) + "\"}]}";
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(served.baseUrl + "/chat/completions"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, r.statusCode());
  }

  @Test
  void shutdown_lets_a_running_stream_finish_then_refuses_connections() throws Exception {
    served = Served.start(home, "--backend", "eliza", "--api-key", KEY, "--set", "word-delay=200ms");
    ChatRequest request = ChatRequest.builder().user("I need a long holiday far away from my family.")
        .model("eliza-1966").options(GenerationOptions.builder().seed(5).build()).build();
    String expected;
    try (ChatModel eliza = Banter.builder().backend("eliza").noDefaultPersona().build()) {
      expected = eliza.chat(request).text();
    }
    StringBuilder text = new StringBuilder();
    ChatResponse end;
    CompletableFuture<Integer> exit;
    try (ChatStream stream = client().stream(request)) {
      Iterator<dev.banter.api.ChatChunk> chunks = stream.iterator();
      assertTrue(chunks.hasNext());
      text.append(chunks.next().text());
      exit = CompletableFuture.supplyAsync(() -> {
        served.io.shutdown();
        return 0;
      });
      served.io.err.await("Shutting down");
      while (chunks.hasNext()) {
        text.append(chunks.next().text());
      }
      end = stream.await();
    }
    assertEquals(FinishReason.STOP, end.finishReason());
    assertEquals(expected, text.toString());
    exit.get(60, TimeUnit.SECONDS);
    assertEquals(0, served.exit.get(60, TimeUnit.SECONDS));
    assertTrue(served.io.err.text().contains("Stopped."));
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", served.port).close());
  }

  @Test
  void a_port_in_use_is_a_runtime_failure_naming_the_port() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      TestIo t = new TestIo(home);
      int code = t.run("serve", "--backend", "eliza", "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(ExitCode.FAILURE, code);
      assertTrue(t.err.text().contains("127.0.0.1:" + taken.getLocalPort()), t.err.text());
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void issue17_a_client_dribbling_its_headers_loses_the_connection_at_the_header_timeout() throws Exception {
    served = Served.start(home, "--backend", "eliza", "--header-timeout", "300ms");
    try (Socket s = new Socket("127.0.0.1", served.port)) {
      s.setSoTimeout(10_000);
      long t0 = System.nanoTime();
      s.getOutputStream().write("GET /health HTTP/1.1\r\nX-Slow: 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertEquals(-1, s.getInputStream().read(), "closed without an answer");
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
    }
  }

  @Test
  void issue17_idle_connections_do_not_hold_up_shutdown() throws Exception {
    served = Served.start(home, "--backend", "eliza", "--grace", "30s");
    try (Socket idle = new Socket("127.0.0.1", served.port)) {
      idle.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
          java.nio.charset.StandardCharsets.US_ASCII));
      idle.getOutputStream().flush();
      assertTrue(new String(idle.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII)
          .startsWith("HTTP/1.1 200"));
      long t0 = System.nanoTime();
      served.stop();
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10),
          "an idle keep-alive connection is closed at once, not waited for during the 30 s grace");
    }
  }

  @Test
  void issue17_the_access_log_escapes_control_characters_and_says_when_no_response_went_out() throws Exception {
    served = Served.start(home, "--backend", "eliza", "--api-key", KEY);
    try (Socket s = new Socket("127.0.0.1", served.port)) {
      s.getOutputStream().write("GET /v1/\u001b[31mred\u0007 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
          java.nio.charset.StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      s.getInputStream().read();
    }
    try (Socket s = new Socket("127.0.0.1", served.port)) {
      s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY
          + "\r\nContent-Length: 50\r\n\r\n{").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }
    String log = served.io.err.await(t -> t.contains("red") && t.contains("no response"),
        java.time.Duration.ofSeconds(30), "both lines");
    assertTrue(log.contains("GET /v1/\\x1b[31mred\\x07 404"), log);
    assertFalse(log.contains("\u001b") || log.contains("\u0007"), "no raw escape reaches the terminal");
    assertTrue(log.contains("POST /v1/chat/completions - no response"), log);
    assertEquals(AccessLog.printable("a b\\c"), "a\\x20b\\x5cc");
  }

  @Test
  void issue17_metrics_show_requests_tokens_latency_and_the_local_engines_slots() throws Exception {
    served = Served.start(home, "--api-key", KEY, "--set", "slots=2");
    ChatRequest joke = ChatRequest.builder().user("Tell me a joke.")
        .options(GenerationOptions.builder().seed(3).maxTokens(12).build()).build();
    ChatResponse whole = client().chat(joke);
    ChatStream stream = client.stream(joke);
    stream.forEach(chunk -> { });
    ChatResponse streamed = stream.await();
    HttpClient raw = HttpClient.newHttpClient();
    HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + served.port + "/metrics"))
        .header("Authorization", "Bearer " + KEY).build();
    HttpResponse<String> r = raw.send(scrape, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    String m = r.body();
    long generated = whole.usage().orElseThrow().completionTokens() + streamed.usage().orElseThrow().completionTokens();
    assertTrue(m.contains("\nbanter_http_responses_total{endpoint=\"/v1/chat/completions\",status=\"200\"} 2\n"), m);
    assertTrue(m.contains("\nbanter_completion_tokens_total " + generated + "\n"), m);
    assertTrue(m.contains("\nbanter_time_to_first_token_seconds_count 2\n"), m);
    assertTrue(m.contains("\nbanter_slots_total 2\n"), m);
    assertTrue(m.contains("\nbanter_slots_busy 0\n"), m);
    assertTrue(m.contains("\nbanter_queue_depth 0\n"), m);
    assertTrue(Pattern.compile("\nbanter_kv_cache_tokens [1-9]\\d*\n").matcher(m).find(),
        "the slots keep the two conversations' caches: " + m);
    assertEquals(401, raw.send(HttpRequest.newBuilder(scrape.uri()).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode(), "the metrics need the server's key");
  }
}

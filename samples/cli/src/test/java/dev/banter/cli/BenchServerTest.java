package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banter bench --url}: the bounded load on an OpenAI-compatible server, here {@code banter
 * serve} on the demo model, in-process on 127.0.0.1. Only the report's shape and the failures are
 * asserted; the figures are a benchmark's business.
 */
@Timeout(180)
class BenchServerTest {
  private static final String KEY = "bench-key-7f3a";

  @TempDir
  Path home;

  @Test
  void concurrent_streams_report_the_aggregate_rate_beside_each_requests() throws Exception {
    try (Served served = Served.start(home, "--api-key", KEY, "--set", "slots=2", "--set", "context=256")) {
      TestIo t = new TestIo(home);
      t.env.put("LOAD_KEY", KEY);
      int code = t.run("bench", "--url", served.baseUrl, "--api-key-env", "LOAD_KEY", "--concurrency", "2",
          "--prompt-tokens", "6", "--gen-tokens", "5", "--runs", "2", "--timeout", "2m");
      assertEquals(ExitCode.OK, code, t.err.text());
      JsonNode got = new ObjectMapper().readTree(t.out.text());
      assertEquals("server", got.get("mode").textValue());
      assertEquals(served.baseUrl, got.get("url").textValue());
      assertFalse(got.get("model").textValue().isEmpty(), "the server's first model is asked for");
      assertEquals(2, got.get("concurrency").intValue());
      assertTrue(got.get("load_average").isNumber(), got.toString());
      assertEquals(2, got.get("aggregate_decode_tps_runs").size());
      assertEquals(4, got.get("decode_tps_requests").size(), "every request of every run");
      assertEquals(4, got.get("completion_tokens").size());
      for (JsonNode n : got.get("completion_tokens")) {
        assertTrue(n.intValue() >= 1 && n.intValue() <= 5, "max_tokens bounds every answer: " + got);
      }
      for (JsonNode n : got.get("ttft_ms_requests")) {
        assertTrue(n.doubleValue() > 0, got.toString());
      }
      double[] runs = {got.get("aggregate_decode_tps_runs").get(0).doubleValue(),
          got.get("aggregate_decode_tps_runs").get(1).doubleValue()};
      assertEquals((runs[0] + runs[1]) / 2, got.get("aggregate_decode_tps").doubleValue(), 1e-9,
          "the median of two runs");
      assertFalse(t.out.text().contains(KEY) || t.err.text().contains(KEY), "the key is never printed");
    }
  }

  @Test
  void a_wrong_key_is_an_authentication_failure_that_names_the_option() throws Exception {
    try (Served served = Served.start(home, "--api-key", KEY)) {
      TestIo t = new TestIo(home);
      t.env.put("LOAD_KEY", "not-the-key");
      assertEquals(ExitCode.FAILURE, t.run("bench", "--url", served.baseUrl, "--api-key-env", "LOAD_KEY"));
      assertTrue(t.err.text().contains("401") && t.err.text().contains("--api-key-env"), t.err.text());
      assertFalse(t.err.text().contains("not-the-key"), "the key is never printed");
    }
  }

  @Test
  void no_server_listening_is_a_clear_failure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.FAILURE, t.run("bench", "--url", "http://127.0.0.1:" + port + "/v1",
        "--served-model", "m"));
    assertTrue(t.err.text().contains("cannot reach") && t.err.text().contains("is the server running"),
        t.err.text());
  }

  @Test
  void a_server_that_never_answers_ends_at_the_timeout() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (java.io.IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      TestIo t = new TestIo(home);
      long start = System.nanoTime();
      int code = t.run("bench", "--url", "http://127.0.0.1:" + silent.getLocalPort() + "/v1", "--served-model", "m",
          "--concurrency", "2", "--timeout", "1s");
      assertEquals(ExitCode.FAILURE, code);
      assertTrue(t.err.text().contains("within 1s"), t.err.text());
      assertTrue(System.nanoTime() - start < 60_000_000_000L, "the caller is not left waiting");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void options_that_belong_to_the_server_are_usage_errors() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("bench", "--url", "http://127.0.0.1:1/v1", "--model", "m.gguf"));
    assertEquals(ExitCode.USAGE, new TestIo(home).run("bench", "--url", "ftp://127.0.0.1/v1"));
    assertEquals(ExitCode.USAGE, new TestIo(home).run("bench", "--url", "http://127.0.0.1:1/v1",
        "--api-key-env", "NO_SUCH_VARIABLE_HERE"));
    assertEquals(ExitCode.USAGE, new TestIo(home).run("bench", "--url", "http://127.0.0.1:1/v1",
        "--concurrency", "65"));
  }
}

package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection guard against clients that hold connections without using them (issue #17, defect 2). */
@Timeout(30)
class ServerConnectionsTest {
  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;
  private ServerConnections connections;
  private final List<String> done = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void start(ServerConnections guard, Consumer<HttpServerRequest> handler) throws Exception {
    connections = guard;
    server = vertx.createHttpServer(ServerConnections.serverOptions())
        .connectionHandler(guard).requestHandler(guard.wrap(request -> {
      guard.whenDone(request, () -> done.add(request.path()));
      handler.accept(request);
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void ok(HttpServerRequest request) {
    request.response().end("ok");
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", server.actualPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads until the server closes the connection; fails if it has not after the socket's timeout. */
  private static String readToClose(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) >= 0; ) {
      sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
    }
    return sb.toString();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  @Test
  void headers_dribbled_slower_than_the_header_timeout_lose_the_connection() throws Exception {
    start(ServerConnections.builder().headerTimeout(Duration.ofMillis(300)).build(), ServerConnectionsTest::ok);
    try (Socket s = connect()) {
      long t0 = System.nanoTime();
      write(s, "GET / HTTP/1.1\r\n");
      write(s, "X-Slow: a\r\n");
      assertEquals("", readToClose(s), "closed without an answer");
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "closed at the header timeout");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (connections.open() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, connections.open());
  }

  @Test
  void a_keep_alive_connection_idle_past_the_idle_timeout_is_closed_and_a_busy_one_is_not() throws Exception {
    start(ServerConnections.builder().idleTimeout(Duration.ofMillis(300)).build(), request -> {
      if (request.path().equals("/slow")) {
        vertx.setTimer(800, id -> request.response().end("slow"));
      } else {
        ok(request);
      }
    });
    try (Socket s = connect()) {
      write(s, get("/slow"));
      String all = readToClose(s);
      assertTrue(all.startsWith("HTTP/1.1 200") && all.endsWith("slow"),
          "an answer that takes longer than the idle timeout still comes: " + all);
    }
  }

  @Test
  void a_response_saying_connection_close_closes_the_connection() throws Exception {
    start(ServerConnections.builder().build(), request -> request.response().putHeader("Connection", "close")
        .setStatusCode(413).end("too large"));
    try (Socket s = connect()) {
      write(s, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc");
      String all = readToClose(s);
      assertTrue(all.startsWith("HTTP/1.1 413"), all);
    }
  }

  @Test
  void one_client_may_hold_only_so_many_connections() throws Exception {
    start(ServerConnections.builder().maxConnectionsPerClient(2).build(), ServerConnectionsTest::ok);
    try (Socket a = connect(); Socket b = connect(); Socket c = connect()) {
      write(a, get("/a"));
      write(b, get("/b"));
      assertTrue(new String(a.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      assertTrue(new String(b.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      assertEquals("", readToClose(c), "the third is closed at once");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (connections.open() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    try (Socket d = connect()) {
      write(d, get("/d"));
      assertTrue(new String(d.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"),
          "closed connections are no longer counted");
    }
  }

  @Test
  void drain_closes_idle_connections_at_once_and_busy_ones_after_their_answer() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    start(ServerConnections.builder().build(), request -> {
      if (request.path().equals("/slow")) {
        busy.countDown();
        vertx.setTimer(500, id -> request.response().end("finished"));
      } else {
        ok(request);
      }
    });
    try (Socket idle = connect(); Socket working = connect()) {
      write(idle, get("/fast"));
      assertTrue(new String(idle.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      write(working, get("/slow"));
      assertTrue(busy.await(5, TimeUnit.SECONDS));
      connections.drain();
      idle.setSoTimeout(2000);
      try {
        readToClose(idle);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the idle connection was not closed at once", e);
      }
      String answer = readToClose(working);
      assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("finished"), answer);
    }
  }

  @Test
  void when_done_runs_once_after_the_response_or_when_the_client_leaves_first() throws Exception {
    CountDownLatch hanging = new CountDownLatch(1);
    start(ServerConnections.builder().build(), request -> {
      if (request.path().equals("/hang")) {
        hanging.countDown();
      } else {
        ok(request);
      }
    });
    try (Socket s = connect()) {
      write(s, get("/fast"));
      assertTrue(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
    }
    try (Socket s = connect()) {
      write(s, get("/hang"));
      assertTrue(hanging.await(5, TimeUnit.SECONDS));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (done.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of("/fast", "/hang"), done);
  }
}

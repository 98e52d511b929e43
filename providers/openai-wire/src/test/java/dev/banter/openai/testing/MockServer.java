package dev.banter.openai.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible server on 127.0.0.1 with an ephemeral port, answering each route with
 * scripted {@link Reply}s (in order; the last one repeats) and recording every request. Unknown
 * routes get 404. {@link #close()} kills the listener and every open connection.
 *
 * <pre>{@code
 * try (MockServer server = MockServer.start()) {
 *   server.on("/v1/chat/completions", Reply.sse(Transcripts.load("openai-text.sse")));
 *   ... point a client at server.baseUrl() ...
 * }
 * }</pre>
 */
public final class MockServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, Deque<Reply>> routes = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private MockServer(int port) {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    server.requestHandler(req -> req.body().onComplete(ar -> {
      Map<String, String> headers = new LinkedHashMap<>();
      req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
      requests.add(new Recorded(req.method().name(), req.path(), headers, ar.succeeded() ? ar.result().toString() : ""));
      Reply reply = next(req.path());
      if (reply == null) {
        req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
            .end("{\"error\":{\"message\":\"File Not Found\",\"type\":\"not_found_error\",\"code\":404}}");
        return;
      }
      reply.send(req, vertx);
    }));
    join(server.listen());
  }

  /** A server on an ephemeral port. */
  public static MockServer start() {
    return new MockServer(0);
  }

  /** A server on a given port (to bring a killed server back on the same address). */
  public static MockServer start(int port) {
    return new MockServer(port);
  }

  private static <T> T join(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("mock server: " + e, e);
    }
  }

  private Reply next(String path) {
    Deque<Reply> q = routes.get(path);
    if (q == null) {
      return null;
    }
    synchronized (q) {
      return q.size() > 1 ? q.poll() : q.peek();
    }
  }

  /** Scripts a route; earlier scripts for it are replaced. */
  public MockServer on(String path, Reply... replies) {
    Deque<Reply> q = new ArrayDeque<>();
    Collections.addAll(q, replies);
    routes.put(path, q);
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public Vertx vertx() {
    return vertx;
  }

  public List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  /** The requests to {@code path}, oldest first. */
  public List<Recorded> requests(String path) {
    List<Recorded> out = new ArrayList<>();
    for (Recorded r : requests) {
      if (r.path.equals(path)) {
        out.add(r);
      }
    }
    return out;
  }

  public Recorded lastRequest(String path) {
    List<Recorded> r = requests(path);
    if (r.isEmpty()) {
      throw new AssertionError("no request to " + path + "; got " + requests);
    }
    return r.get(r.size() - 1);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    join(vertx.close());
  }
}

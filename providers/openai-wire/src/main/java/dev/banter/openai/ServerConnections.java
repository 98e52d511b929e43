package dev.banter.openai;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Guards an HTTP server's connections against clients that hold them without using them: a
 * connection must deliver a request's headers within the header timeout of opening, may sit idle
 * between requests for the idle timeout, and is closed after any response that says
 * {@code Connection: close}; one client address may hold a limited number of connections. On
 * shutdown, {@link #drain()} closes the idle connections at once and every other one as soon as
 * its answer is sent. Thread-safe.
 *
 * <p>The server must not detect HTTP/2 over cleartext ({@link #serverOptions()}): with that
 * detection on, Vert.x announces a connection only once its first request has arrived, too late
 * to time its headers.
 *
 * <pre>{@code
 * ServerConnections guard = ServerConnections.builder().headerTimeout(Duration.ofSeconds(10)).build();
 * vertx.createHttpServer(ServerConnections.serverOptions().setPort(8080))
 *     .connectionHandler(guard).requestHandler(guard.wrap(handler)).listen();
 * }</pre>
 */
public final class ServerConnections implements Handler<HttpConnection> {
  private static final Logger LOG = Logger.getLogger(ServerConnections.class.getName());

  private final Duration headerTimeout;
  private final Duration idleTimeout;
  private final int maxPerClient;
  private final Map<HttpConnection, State> connections = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private volatile boolean draining;

  private ServerConnections(Builder b) {
    this.headerTimeout = b.headerTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxPerClient = b.maxPerClient;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Server options under which a connection is announced as soon as it opens (no h2c detection). */
  public static HttpServerOptions serverOptions() {
    return new HttpServerOptions().setHttp2ClearTextEnabled(false);
  }

  /** What one connection is doing; guarded by itself. */
  private static final class State {
    final String client;
    final Vertx vertx;
    final Map<HttpServerResponse, List<Runnable>> answering = new IdentityHashMap<>();
    long timer = -1;

    State(String client, Vertx vertx) {
      this.client = client;
      this.vertx = vertx;
    }
  }

  /** A new connection: counted against its client, and given the header timeout to send a request. */
  @Override
  public void handle(HttpConnection connection) {
    String client = connection.remoteAddress() == null ? "?" : connection.remoteAddress().hostAddress();
    AtomicInteger count = perClient.computeIfAbsent(client, c -> new AtomicInteger());
    if (count.incrementAndGet() > maxPerClient || draining) {
      count.decrementAndGet();
      if (!draining) {
        LOG.fine(() -> "refused a connection from " + client + ": it holds " + maxPerClient + " already");
      }
      connection.close();
      return;
    }
    State state = new State(client, Vertx.currentContext().owner());
    connections.put(connection, state);
    connection.closeHandler(v -> closed(connection));
    arm(connection, state, headerTimeout);
  }

  /**
   * {@code handler} with the connection bookkeeping around it: a request stops its connection's
   * timer, and the end of its response arms the idle timer (or closes the connection, when the
   * response said {@code Connection: close} or the server is draining).
   */
  public Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> handler) {
    Objects.requireNonNull(handler, "handler");
    return request -> {
      HttpConnection connection = request.connection();
      State state = connections.get(connection);
      if (state != null) {
        HttpServerResponse response = request.response();
        synchronized (state) {
          state.answering.put(response, new ArrayList<>());
          disarm(state);
        }
        response.bodyEndHandler(v -> answered(connection, state, response));
      }
      handler.handle(request);
    };
  }

  /**
   * Runs {@code action} once, when {@code request}'s response has been sent or when its connection
   * closes before that (for an access log, say). The request must have come through {@link #wrap};
   * otherwise the action runs at once.
   */
  public void whenDone(HttpServerRequest request, Runnable action) {
    State state = connections.get(request.connection());
    if (state != null) {
      synchronized (state) {
        List<Runnable> actions = state.answering.get(request.response());
        if (actions != null) {
          actions.add(action);
          return;
        }
      }
    }
    action.run();
  }

  private void answered(HttpConnection connection, State state, HttpServerResponse response) {
    List<Runnable> actions;
    boolean idle;
    synchronized (state) {
      actions = state.answering.remove(response);
      idle = state.answering.isEmpty();
    }
    if (actions != null) {
      actions.forEach(Runnable::run);
    }
    if ("close".equalsIgnoreCase(response.headers().get("Connection")) || (draining && idle)) {
      connection.close();
    } else if (idle) {
      arm(connection, state, idleTimeout);
    }
  }

  private void arm(HttpConnection connection, State state, Duration timeout) {
    synchronized (state) {
      disarm(state);
      state.timer = state.vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
        synchronized (state) {
          if (state.timer != id || !state.answering.isEmpty()) {
            return;
          }
        }
        connection.close();
      });
    }
  }

  private static void disarm(State state) {
    if (state.timer >= 0) {
      state.vertx.cancelTimer(state.timer);
      state.timer = -1;
    }
  }

  private void closed(HttpConnection connection) {
    State state = connections.remove(connection);
    if (state == null) {
      return;
    }
    List<Runnable> pending = new ArrayList<>();
    synchronized (state) {
      disarm(state);
      state.answering.values().forEach(pending::addAll);
      state.answering.clear();
    }
    pending.forEach(Runnable::run);
    AtomicInteger count = perClient.get(state.client);
    if (count != null && count.decrementAndGet() <= 0) {
      perClient.remove(state.client, count);
    }
  }

  /**
   * For shutdown: closes every connection that is between requests now, and every other one as
   * soon as its answer has been sent; refuses new connections.
   */
  public void drain() {
    draining = true;
    connections.forEach((connection, state) -> {
      boolean idle;
      synchronized (state) {
        idle = state.answering.isEmpty();
      }
      if (idle) {
        connection.close();
      }
    });
  }

  /** The connections open now. */
  public int open() {
    return connections.size();
  }

  @Override
  public String toString() {
    return "ServerConnections{open=" + connections.size() + ", headerTimeout=" + headerTimeout + ", idleTimeout="
        + idleTimeout + ", maxPerClient=" + maxPerClient + '}';
  }

  /** Collects the limits. Not thread-safe. */
  public static final class Builder {
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxPerClient = 64;

    private Builder() {}

    /** How long a new connection may take to deliver its first request's headers; default 10 s. */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = positive(timeout, "headerTimeout");
      return this;
    }

    /** How long a connection may sit idle between requests; default 60 s. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /** The most connections one client address may hold at once; default 64. */
    public Builder maxConnectionsPerClient(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConnectionsPerClient must be >= 1, got " + n);
      }
      this.maxPerClient = n;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, got " + d);
      }
      return d;
    }

    public ServerConnections build() {
      return new ServerConnections(this);
    }
  }
}

package dev.banter.cli;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps the server's handler and writes one line per request when its response ends: time,
 * client address, method, path, status, duration and the model the request named — never a
 * header, a query string or a body. A response cut short by the client is logged as
 * {@code closed early}.
 *
 * <p>The model is read from the body as it streams to the handler: the request the handler sees
 * is a proxy that passes everything through and shows each body buffer to a {@link ModelSniffer}
 * on its way.
 */
final class AccessLog implements Handler<HttpServerRequest> {
  private final Handler<HttpServerRequest> next;
  private final PrintStream log;
  private final Clock clock;

  AccessLog(Handler<HttpServerRequest> next, PrintStream log, Clock clock) {
    this.next = next;
    this.log = log;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String method = request.method().name();
    String path = request.path();
    String client = request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress();
    ModelSniffer sniffer = new ModelSniffer();
    HttpServerResponse response = request.response();
    AtomicBoolean logged = new AtomicBoolean();
    Handler<Void> done = v -> {
      if (logged.compareAndSet(false, true)) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        String status = response.ended() ? String.valueOf(response.getStatusCode())
            : response.getStatusCode() + " closed early";
        line(client, method, path, status, millis, sniffer.model());
      }
    };
    response.bodyEndHandler(done);
    if (request.connection() != null) {
      request.connection().closeHandler(done);
    }
    boolean chat = "POST".equals(method) && path != null && path.startsWith("/v1/chat/completions");
    next.handle(chat ? teeing(request, sniffer) : request);
  }

  private void line(String client, String method, String path, String status, long millis, String model) {
    StringBuilder sb = new StringBuilder(160).append(clock.instant()).append(' ').append(client).append(' ')
        .append(method).append(' ').append(path).append(' ').append(status).append(' ').append(millis).append(" ms");
    if (!model.isEmpty()) {
      sb.append(" model=").append(model);
    }
    synchronized (log) {
      log.println(sb);
      log.flush();
    }
  }

  /** The request, with every body buffer shown to {@code sniffer} before the handler gets it. */
  @SuppressWarnings("unchecked")
  static HttpServerRequest teeing(HttpServerRequest request, ModelSniffer sniffer) {
    return (HttpServerRequest) Proxy.newProxyInstance(AccessLog.class.getClassLoader(),
        new Class<?>[] {HttpServerRequest.class}, (proxy, m, args) -> {
          Object[] actual = args;
          if (m.getName().equals("handler") && args != null && args.length == 1 && args[0] != null) {
            Handler<Buffer> h = (Handler<Buffer>) args[0];
            actual = new Object[] {(Handler<Buffer>) b -> {
              sniffer.feed(b.getBytes());
              h.handle(b);
            }};
          }
          Object result = invoke(m, request, actual);
          return result == request ? proxy : result;
        });
  }

  private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}

package dev.banter.cli;

import dev.banter.openai.ServerConnections;
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
 * {@code closed early}, and a request whose client left before any response as
 * {@code - no response}. The path and the model are the client's words: their control characters
 * are escaped, and they are cut at 200 characters, so a request cannot forge or garble log lines.
 *
 * <p>The model is read from the body as it streams to the handler: the request the handler sees
 * is a proxy that passes everything through and shows each body buffer to a {@link ModelSniffer}
 * on its way.
 */
final class AccessLog implements Handler<HttpServerRequest> {
  private static final int MAX_FIELD_CHARS = 200;

  private final Handler<HttpServerRequest> next;
  private final PrintStream log;
  private final Clock clock;
  private final ServerConnections connections;

  AccessLog(Handler<HttpServerRequest> next, PrintStream log, Clock clock, ServerConnections connections) {
    this.next = next;
    this.log = log;
    this.clock = clock;
    this.connections = connections;
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
    connections.whenDone(request, () -> {
      if (logged.compareAndSet(false, true)) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        String status = response.ended() ? String.valueOf(response.getStatusCode())
            : response.headWritten() ? response.getStatusCode() + " closed early" : "- no response";
        line(client, method, path, status, millis, sniffer.model());
      }
    });
    boolean chat = "POST".equals(method) && path != null
        && (path.startsWith("/v1/chat/completions") || path.startsWith("/v1/responses"));
    next.handle(chat ? teeing(request, sniffer) : request);
  }

  private void line(String client, String method, String path, String status, long millis, String model) {
    StringBuilder sb = new StringBuilder(160).append(clock.instant()).append(' ').append(client).append(' ')
        .append(method).append(' ').append(printable(path)).append(' ').append(status).append(' ').append(millis)
        .append(" ms");
    if (!model.isEmpty()) {
      sb.append(" model=").append(printable(model));
    }
    synchronized (log) {
      log.println(sb);
      log.flush();
    }
  }

  /** {@code text} with control characters, spaces and backslashes escaped as {@code \\xNN}, cut to 200 characters. */
  static String printable(String text) {
    if (text == null) {
      return "-";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_FIELD_CHARS) + 8);
    for (int i = 0; i < text.length() && i < MAX_FIELD_CHARS; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == ' ' || c == '\\') {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return text.length() > MAX_FIELD_CHARS ? sb.append("...").toString() : sb.toString();
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

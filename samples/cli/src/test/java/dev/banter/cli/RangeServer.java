package dev.banter.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file server on 127.0.0.1 that honours {@code Range: bytes=N-} with a 206 (or ignores it, if
 * told), and can drop the connection part-way through a response a given number of times.
 */
final class RangeServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final HttpServer server;
  private final byte[] content;
  /** Range headers received, one per request ("" when none). */
  final List<String> ranges = new CopyOnWriteArrayList<>();
  /** How many more responses to cut off after {@link #cutAfter} bytes of body. */
  final AtomicInteger drops = new AtomicInteger();
  volatile int cutAfter;
  volatile boolean ignoreRanges;

  RangeServer(byte[] content) throws IOException {
    this.content = content;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void serve(HttpExchange ex) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    ranges.add(range == null ? "" : range);
    if (!ex.getRequestURI().getPath().endsWith(".gguf")) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    int from = 0;
    Matcher m = range == null || ignoreRanges ? null : RANGE.matcher(range);
    if (m != null && m.matches()) {
      from = Integer.parseInt(m.group(1));
      if (from >= content.length) {
        ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
        ex.sendResponseHeaders(416, -1);
        ex.close();
        return;
      }
      ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
      ex.sendResponseHeaders(206, content.length - from);
    } else {
      ex.sendResponseHeaders(200, content.length);
    }
    OutputStream out = ex.getResponseBody();
    int length = content.length - from;
    if (drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      out.write(content, from, Math.min(cutAfter, length));
      out.flush();
      // Closing a fixed-length response before its length is reached drops the connection.
      ex.close();
      return;
    }
    out.write(content, from, length);
    out.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

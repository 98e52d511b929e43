package dev.banter.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Hugging Face hub on 127.0.0.1: the recursive tree listing with LFS
 * SHA-256s, {@code resolve/main/...} answering with a 302 to a separate "CDN" path (signed query,
 * {@code X-Linked-Etag}), the CDN honouring {@code Range}, gated repositories that need a bearer
 * token, and a 401 for unknown repositories as the real hub gives without a token. Records what
 * it was asked, with the Authorization header each request carried.
 */
final class HubServer implements AutoCloseable {
  private static final Pattern TREE = Pattern.compile("/api/models/([^/]+/[^/]+)/tree/main");
  private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/main/(.+)");
  private static final Pattern CDN = Pattern.compile("/cdn/(\\d+)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** A file in a repository; {@code listedSha} null means the listing gives no lfs object. */
  record File(String path, byte[] content, String listedSha, String linkedSha) {}

  /** One request: method, path, the Authorization header ("" when none), the Range header ("" when none). */
  record Request(String method, String path, String authorization, String range) {}

  private final HttpServer server;
  /** The "CDN": another origin (port), as the hub's downloads come from another host. */
  private final HttpServer cdnServer;
  private final Map<String, Map<String, File>> repos = new ConcurrentHashMap<>();
  private final Map<String, String> gated = new ConcurrentHashMap<>();
  private final List<File> cdn = new CopyOnWriteArrayList<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  /** How many more CDN responses to cut off after {@link #cutAfter} bytes. */
  final AtomicInteger drops = new AtomicInteger();
  volatile int cutAfter;

  HubServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::serve);
    server.start();
    cdnServer = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    cdnServer.createContext("/", this::serve);
    cdnServer.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds a file whose listing carries its true SHA-256 (as LFS files do). */
  HubServer file(String repo, String path, byte[] content) throws IOException {
    String sha = sha256(content);
    return file(repo, new File(path, content, sha, sha));
  }

  HubServer file(String repo, File f) {
    repos.computeIfAbsent(repo, k -> new LinkedHashMap<>()).put(f.path(), f);
    return this;
  }

  /** Files of {@code repo} download only with {@code Authorization: Bearer token} (the listing stays open, as on the hub). */
  HubServer gate(String repo, String token) {
    gated.put(repo, "Bearer " + token);
    return this;
  }

  List<Request> requests(String pathPrefix) {
    List<Request> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().startsWith(pathPrefix)) {
        out.add(r);
      }
    }
    return out;
  }

  static String sha256(byte[] content) throws IOException {
    Path tmp = Files.createTempFile("hub", ".bin");
    try {
      Files.write(tmp, content);
      return Download.sha256(tmp);
    } finally {
      Files.delete(tmp);
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String range = ex.getRequestHeaders().getFirst("Range");
    requests.add(new Request(ex.getRequestMethod(), path, auth == null ? "" : auth, range == null ? "" : range));
    try {
      Matcher m;
      if ((m = TREE.matcher(path)).matches()) {
        tree(ex, m.group(1));
      } else if ((m = RESOLVE.matcher(path)).matches()) {
        resolve(ex, m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8), auth);
      } else if ((m = CDN.matcher(path)).matches()) {
        cdn(ex, cdn.get(Integer.parseInt(m.group(1))), range);
      } else {
        send(ex, 404, "{\"error\":\"not found\"}");
      }
    } finally {
      ex.close();
    }
  }

  private void tree(HttpExchange ex, String repo) throws IOException {
    Map<String, File> files = repos.get(repo);
    if (files == null) {
      send(ex, 401, "{\"error\":\"Repository not found\"}");
      return;
    }
    StringBuilder sb = new StringBuilder("[{\"type\":\"directory\",\"oid\":\"aa\",\"size\":0,\"path\":\"sub\"}");
    for (File f : files.values()) {
      sb.append(",{\"type\":\"file\",\"oid\":\"0123456789abcdef0123456789abcdef01234567\",\"size\":")
          .append(f.listedSha() == null ? f.content().length : 135).append(",\"path\":\"").append(f.path()).append('"');
      if (f.listedSha() != null) {
        sb.append(",\"lfs\":{\"oid\":\"").append(f.listedSha()).append("\",\"size\":").append(f.content().length)
            .append(",\"pointerSize\":135}");
      }
      sb.append('}');
    }
    send(ex, 200, sb.append(']').toString());
  }

  private void resolve(HttpExchange ex, String repo, String file, String auth) throws IOException {
    Map<String, File> files = repos.get(repo);
    String needs = gated.get(repo);
    if (needs != null && !needs.equals(auth)) {
      send(ex, auth == null ? 401 : 403, "{\"error\":\"Access to model " + repo + " is restricted.\"}");
      return;
    }
    File f = files == null ? null : files.get(file);
    if (f == null) {
      send(ex, 404, "{\"error\":\"Entry not found\"}");
      return;
    }
    int id;
    synchronized (cdn) {
      id = cdn.size();
      cdn.add(f);
    }
    ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdnServer.getAddress().getPort() + "/cdn/" + id + "?X-Amz-Signature=signedsecret");
    if (f.linkedSha() != null) {
      ex.getResponseHeaders().add("X-Linked-Etag", "\"" + f.linkedSha() + "\"");
    }
    ex.getResponseHeaders().add("X-Linked-Size", String.valueOf(f.content().length));
    ex.sendResponseHeaders(302, -1);
  }

  private void cdn(HttpExchange ex, File f, String range) throws IOException {
    byte[] content = f.content();
    int from = 0;
    Matcher m = range == null ? null : RANGE.matcher(range);
    if (m != null && m.matches()) {
      from = Integer.parseInt(m.group(1));
      if (from >= content.length) {
        ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
        ex.sendResponseHeaders(416, -1);
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
      return; // closing a fixed-length response early drops the connection
    }
    out.write(content, from, length);
    out.close();
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    cdnServer.stop(0);
  }
}

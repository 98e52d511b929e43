package dev.banter.cli;

import dev.banter.api.BanterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resumable download into {@code NAME.part} next to the target: an interrupted transfer keeps
 * what arrived and asks for the rest with {@code Range: bytes=N-} (a 206 appends, a 200 means the
 * server starts over); when complete the SHA-256 is checked, and only a verified file is moved to
 * its final name, atomically. A mismatch discards the download. Messages show URLs without their
 * query string, which may hold a signature or token.
 */
final class Download {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Pattern UNSATISFIED = Pattern.compile("bytes\\s+\\*/(\\d+)");

  /** Receives progress: bytes present in the part file and the total (-1 when unknown). */
  interface Progress {
    void update(long have, long total);
  }

  private final HttpClient client;
  private final URI uri;
  private final Path target;
  private final Path part;
  private final String sha256;
  private final int retries;
  private final Progress progress;
  private final PrintStream log;
  private String authorization;
  private IntFunction<String> refusal;

  Download(HttpClient client, URI uri, Path target, String sha256, int retries, Progress progress,
      PrintStream log) {
    this.client = client;
    this.uri = uri;
    this.target = target;
    this.part = target.resolveSibling(target.getFileName() + ".part");
    this.sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
    this.retries = retries;
    this.progress = progress;
    this.log = log;
  }

  static HttpClient defaultClient() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  /**
   * Sends {@code value} as the Authorization header to {@code uri}'s origin, and to no other: a
   * redirect elsewhere (a CDN) is followed without it. Give this a client that does not follow
   * redirects itself ({@link HfHub#client()}), or the client decides.
   */
  Download authorization(String value) {
    this.authorization = value;
    return this;
  }

  /** The message for an HTTP 401, 403 or 404 from the server, instead of the generic one. */
  Download refusal(IntFunction<String> message) {
    this.refusal = message;
    return this;
  }

  Path partFile() {
    return part;
  }

  /**
   * Downloads, verifies and moves the file into place; returns its SHA-256.
   *
   * @throws BanterException when the server refuses, the transfer fails more often than allowed
   *     (the part file is kept for a later resume), or the checksum does not match (nothing is kept)
   */
  String run() throws IOException, InterruptedException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    int failures = 0;
    while (true) {
      try {
        if (transfer()) {
          break;
        }
      } catch (IOException e) {
        long have = size(part);
        if (failures++ >= retries) {
          throw new BanterException("The download of " + redacted(uri) + " was interrupted after "
              + Units.human(have) + " (" + e.getMessage() + "). " + (have > 0 ? "What arrived is kept in " + part
              + "; run the same command again to resume." : "Check the URL and the network, then try again."), e);
        }
        log.println("Download interrupted after " + Units.human(have) + " (" + e.getMessage() + "); resuming ("
            + failures + " of " + retries + ").");
        if (failures > 1) {
          Thread.sleep(1000L * (failures - 1));
        }
      }
    }
    String actual = sha256(part);
    if (sha256 != null && !sha256.equals(actual)) {
      Files.deleteIfExists(part);
      throw new BanterException("Checksum mismatch for " + target.getFileName() + ": expected SHA-256 " + sha256
          + ", got " + actual + ". The download was discarded; check the URL and the checksum.");
    }
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return actual;
  }

  /** One request; true once the part file is complete, false to start over. */
  private boolean transfer() throws IOException, InterruptedException {
    long have = size(part);
    HttpResponse<InputStream> response = null;
    URI at = uri;
    for (int hops = 0; response == null; hops++) {
      HttpRequest.Builder rb = HttpRequest.newBuilder(at).GET().header("User-Agent", "banter-cli")
          .header("Accept-Encoding", "identity");
      if (have > 0) {
        rb.header("Range", "bytes=" + have + "-");
      }
      if (authorization != null && sameOrigin(at, uri)) {
        rb.header("Authorization", authorization);
      }
      HttpResponse<InputStream> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      Optional<String> location = r.headers().firstValue("Location");
      if (REDIRECTS.contains(r.statusCode()) && location.isPresent()) {
        r.body().close();
        if (hops >= 10) {
          throw new BanterException("The download of " + redacted(uri) + " was redirected more than 10 times.");
        }
        at = at.resolve(location.get());
        continue;
      }
      response = r;
    }
    int status = response.statusCode();
    long total;
    boolean append;
    if (status == 206 && have > 0) {
      Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
      if (!m.matches() || Long.parseLong(m.group(1)) != have) {
        response.body().close();
        log.println("The server resumed at another offset than asked; starting over.");
        Files.deleteIfExists(part);
        return false;
      }
      total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
      append = true;
    } else if (status == 200) {
      if (have > 0) {
        log.println("The server cannot resume downloads; starting over.");
      }
      total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      have = 0;
      append = false;
    } else if (status == 416 && have > 0) {
      response.body().close();
      Matcher m = UNSATISFIED.matcher(response.headers().firstValue("Content-Range").orElse(""));
      if (m.matches() && Long.parseLong(m.group(1)) == have) {
        return true;
      }
      log.println("The partial download does not fit the file on the server; starting over.");
      Files.deleteIfExists(part);
      return false;
    } else {
      response.body().close();
      if (refusal != null && (status == 401 || status == 403 || status == 404)) {
        throw new BanterException(refusal.apply(status));
      }
      throw new BanterException("The download of " + redacted(uri) + " failed: the server answered HTTP " + status
          + (status == 404 ? " (not found); check the URL." : status == 401 || status == 403
              ? " (not allowed); the file may need an account or a token." : "."));
    }
    progress.update(have, total);
    try (InputStream in = response.body();
         OutputStream out = append
             ? Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
             : Files.newOutputStream(part)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        have += n;
        progress.update(have, total);
      }
    }
    if (total >= 0 && have < total) {
      throw new IOException("the connection ended at " + have + " of " + total + " bytes");
    }
    if (total >= 0 && have > total) {
      Files.deleteIfExists(part);
      throw new BanterException("The server sent " + have + " bytes for a file of " + total + "; the download was"
          + " discarded.");
    }
    return true;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && String.valueOf(a.getHost()).equalsIgnoreCase(
        String.valueOf(b.getHost())) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static long size(Path p) throws IOException {
    return Files.exists(p) ? Files.size(p) : 0;
  }

  /** The lowercase hex SHA-256 of a file. */
  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      byte[] buf = new byte[1 << 16];
      while (in.read(buf) >= 0) {
        // the digest stream hashes what passes
      }
    }
    StringBuilder sb = new StringBuilder(64);
    for (byte b : md.digest()) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  /** The URL without user info, query or fragment. */
  static String redacted(URI uri) {
    String host = Optional.ofNullable(uri.getHost()).orElse("");
    return uri.getScheme() + "://" + host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + Optional.ofNullable(uri.getRawPath()).orElse("");
  }
}

package dev.banter.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The base URL of one OpenAI-compatible server, such as {@code http://gpu1:8000/v1}: scheme,
 * host, port and the path prefix the API routes hang off. User information and query strings
 * are not kept, so {@link #toString()} is safe to print. Immutable and thread-safe.
 *
 * <pre>{@code
 * Endpoint e = Endpoint.parse("https://api.x.ai/v1");
 * e.path("/chat/completions");  // "/v1/chat/completions"
 * e.healthPath();               // "/health"
 * }</pre>
 */
public final class Endpoint {
  private final boolean tls;
  private final String host;
  private final int port;
  private final String basePath;

  private Endpoint(boolean tls, String host, int port, String basePath) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.basePath = basePath;
  }

  /**
   * Parses an {@code http} or {@code https} URL.
   *
   * @throws IllegalArgumentException naming the URL's problem (the message never repeats user
   *     information such as a password embedded in the URL)
   */
  public static Endpoint parse(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL (" + e.getReason() + "); expected for example"
          + " http://localhost:8000/v1");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the URL must start with http:// or https://, for example"
          + " http://localhost:8000/v1");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the URL has no host; expected for example http://localhost:8000/v1");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Endpoint(tls, host, port, path);
  }

  /** Whether requests use TLS (https). */
  public boolean tls() {
    return tls;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The path prefix without a trailing slash, for example {@code /v1}; empty for none. */
  public String basePath() {
    return basePath;
  }

  /** The request path of an API route, for example {@code /v1/chat/completions}. */
  public String path(String route) {
    return basePath + (route.startsWith("/") ? route : "/" + route);
  }

  /**
   * The path of the server's health route: {@code /health} next to the API's {@code /v1} prefix
   * (llama.cpp, vLLM, SGLang and TGI all serve it there).
   */
  public String healthPath() {
    String root = basePath.endsWith("/v1") ? basePath.substring(0, basePath.length() - 3) : basePath;
    return root + "/health";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Endpoint e)) {
      return false;
    }
    return tls == e.tls && port == e.port && host.equals(e.host) && basePath.equals(e.basePath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tls, host, port, basePath);
  }

  /** The URL without user information or query, for example {@code https://api.x.ai:443/v1}. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (tls ? "https://" : "http://") + h + ":" + port + basePath;
  }
}

package dev.banter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banter.api.BanterException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Hugging Face hub calls a pull needs: the repository's file list with each LFS file's
 * SHA-256 ({@code GET /api/models/{repo}/tree/main?recursive=true}, following the {@code Link:
 * rel="next"} pages), the download address ({@code /{repo}/resolve/main/{path}}) and, when the
 * listing carries no SHA-256, the {@code X-Linked-Etag} of that address's redirect. The token is
 * sent as {@code Authorization: Bearer} to the hub only; it is never part of a message, and
 * {@link #toString()} does not show it.
 */
final class HfHub {
  static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final int MAX_PAGES = 100;

  /** A file in the repository; {@code sha256} is empty for files not stored in LFS. */
  record File(String path, long size, Optional<String> sha256) {}

  private final URI endpoint;
  private final String token;
  private final HttpClient client;

  /**
   * @param endpoint the hub, e.g. {@code https://huggingface.co} (a trailing slash is dropped)
   * @param token a Hugging Face access token, or null
   * @throws UsageException if {@code endpoint} is no http(s) URL
   */
  HfHub(String endpoint, String token) {
    String e = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    URI u;
    try {
      u = URI.create(e);
    } catch (IllegalArgumentException ex) {
      throw new UsageException("the Hugging Face endpoint is not a URL: '" + e + "'");
    }
    if (u.getScheme() == null || !u.getScheme().matches("(?i)https?") || u.getHost() == null) {
      throw new UsageException("the Hugging Face endpoint must be an http or https URL, got '" + Download.redacted(u)
          + "'");
    }
    this.endpoint = u;
    this.token = token;
    this.client = client();
  }

  /** A client that does not follow redirects: the caller decides whether the token goes along. */
  static HttpClient client() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  HttpClient httpClient() {
    return client;
  }

  /** The value of the Authorization header, or null without a token. */
  String authorization() {
    return token == null ? null : "Bearer " + token;
  }

  /** The repository's page, where a gated model's licence is accepted. */
  String page(String repo) {
    return Download.redacted(endpoint) + "/" + repo;
  }

  /**
   * The files of {@code repo} on its main branch.
   *
   * @throws BanterException when the repository does not exist or needs a token, or the hub cannot be reached
   */
  List<File> files(String repo) throws InterruptedException {
    List<File> out = new ArrayList<>();
    URI next = URI.create(Download.redacted(endpoint) + "/api/models/" + repo + "/tree/main?recursive=true");
    ObjectMapper json = new ObjectMapper();
    for (int page = 0; next != null && page < MAX_PAGES; page++) {
      HttpResponse<byte[]> r;
      try {
        r = client.send(request(next).GET().header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new BanterException("Cannot list " + repo + " on " + Download.redacted(endpoint) + ": " + e.getMessage()
            + ". Check the network, or HF_ENDPOINT.", e);
      }
      int status = r.statusCode();
      if (status == 401 || status == 403 || status == 404) {
        throw new BanterException(refused(repo, status, "list"));
      }
      if (status != 200) {
        throw new BanterException("Listing " + repo + " on " + Download.redacted(endpoint) + " failed: HTTP " + status
            + ". Try again later.");
      }
      JsonNode root;
      try {
        root = json.readTree(r.body());
      } catch (IOException e) {
        throw new BanterException("The hub's file list for " + repo + " is not JSON (" + e.getMessage() + ")", e);
      }
      if (root == null || !root.isArray()) {
        throw new BanterException("The hub's file list for " + repo + " is not a JSON array; is "
            + Download.redacted(endpoint) + " a Hugging Face hub?");
      }
      for (JsonNode item : root) {
        if (!"file".equals(item.path("type").asText()) || !item.path("path").isTextual()) {
          continue;
        }
        String oid = item.path("lfs").path("oid").asText("").toLowerCase(Locale.ROOT);
        long size = item.path("lfs").path("size").asLong(item.path("size").asLong(-1));
        out.add(new File(item.path("path").textValue(), size,
            HEX64.matcher(oid).matches() ? Optional.of(oid) : Optional.empty()));
      }
      next = r.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find)
          .map(m -> endpoint.resolve(m.group(1))).orElse(null);
    }
    return out;
  }

  /** Where {@code path} of {@code repo} downloads from. */
  URI resolve(String repo, String path) {
    StringBuilder sb = new StringBuilder(Download.redacted(endpoint)).append('/').append(repo).append("/resolve/main");
    for (String segment : path.split("/")) {
      sb.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return URI.create(sb.toString());
  }

  /**
   * The SHA-256 the hub links to {@code path} ({@code X-Linked-Etag} of the resolve address,
   * without following its redirect); empty when it gives none or the request fails.
   */
  Optional<String> linkedSha256(String repo, String path) throws InterruptedException {
    try {
      HttpResponse<Void> r = client.send(request(resolve(repo, path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.discarding());
      return r.headers().firstValue("X-Linked-Etag").map(HfHub::etagValue).filter(v -> HEX64.matcher(v).matches());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** What to tell the user when the hub answers 401, 403 or 404 for {@code repo}. */
  String refused(String repo, int status, String what) {
    String tokenState = token == null ? "HF_TOKEN is not set" : "the HF_TOKEN given";
    return switch (status) {
      case 401 -> "The hub refused to " + what + " " + repo + " (HTTP 401): the repository does not exist, or it is "
          + "private or gated and needs a token (" + tokenState + (token == null ? "" : " was not accepted")
          + "). Check the name; for a gated or private model, set HF_TOKEN to an access token from "
          + Download.redacted(endpoint) + "/settings/tokens and accept the licence on " + page(repo) + ".";
      case 403 -> "The hub refused to " + what + " " + repo + " (HTTP 403): " + (token == null
          ? "it is gated; set HF_TOKEN to an access token from " + Download.redacted(endpoint) + "/settings/tokens and "
          : "the token has no access to it; ") + "accept the model's licence on " + page(repo) + ".";
      case 404 -> "No repository " + repo + " on " + Download.redacted(endpoint) + " (HTTP 404). Check the name (Org/Repo,"
          + " as on the model page); GGUF repositories usually end in -GGUF.";
      default -> "The hub answered HTTP " + status + " for " + repo + ".";
    };
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("User-Agent", "banter-cli");
    if (token != null) {
      b.header("Authorization", authorization());
    }
    return b;
  }

  private static String etagValue(String etag) {
    String v = etag.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    return v.replace("\"", "").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "HfHub[" + Download.redacted(endpoint) + (token == null ? "" : ", token ****") + "]";
  }
}

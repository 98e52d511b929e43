package dev.banter.samples.webchat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A browser session without a browser: its own cookie jar, the web chat's JSON and SSE API. */
final class ApiClient {
  private final String base;
  private final HttpClient http;

  ApiClient(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  HttpResponse<String> post(String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  HttpResponse<String> postJson(String path, JsonObject body) {
    return post(path, "application/json", body.encode());
  }

  JsonObject state() {
    return new JsonObject(get("api/state").body());
  }

  /** Starts an answer and returns its id. */
  String chat(String message) {
    HttpResponse<String> r = postJson("api/chat", new JsonObject().put("message", message));
    if (r.statusCode() != 202) {
      throw new AssertionError("POST api/chat answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getString("id");
  }

  /** Opens the event stream of an answer. */
  SseReader stream(String id) {
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/stream/" + id)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      return new SseReader(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

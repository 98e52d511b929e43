package dev.banter.openai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A request the mock server received: method, path, headers (lower-case names) and body. */
public final class Recorded {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final String method;
  public final String path;
  public final Map<String, String> headers;
  public final String body;

  Recorded(String method, String path, Map<String, String> headers, String body) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return method + " " + path + " " + body;
  }
}

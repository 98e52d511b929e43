package dev.banter.samples.webchat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page's three files, read once from the class path and served from memory. Only these names
 * are served; anything else is a 404.
 */
final class Assets {
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  private final Map<String, Buffer> files;

  private Assets(Map<String, Buffer> files) {
    this.files = files;
  }

  static Assets load() {
    Map<String, Buffer> files = new LinkedHashMap<>();
    for (String name : TYPES.keySet()) {
      try (InputStream in = Assets.class.getResourceAsStream("webroot/" + name)) {
        if (in == null) {
          throw new IllegalStateException("webroot/" + name + " is missing from the web chat's jar");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
        files.put(name, Buffer.buffer(out.toByteArray()));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read webroot/" + name + " from the web chat's jar", e);
      }
    }
    return new Assets(files);
  }

  void serve(RoutingContext ctx, String name) {
    Buffer body = files.get(name);
    if (body == null) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("Not found");
      return;
    }
    ctx.response()
        .putHeader("Content-Type", TYPES.get(name))
        .putHeader("Cache-Control", "no-cache")
        .end(body);
  }
}

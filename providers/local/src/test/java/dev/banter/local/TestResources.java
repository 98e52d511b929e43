package dev.banter.local;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Test resources as file paths (Maven copies them to target/test-classes). */
public final class TestResources {
  private TestResources() {}

  /** The file of test resource {@code name}, e.g. {@code "gguf/tiny-llama-f32.gguf"}. */
  public static Path path(String name) {
    URL url = TestResources.class.getResource("/" + name);
    if (url == null) {
      throw new IllegalStateException("test resource " + name + " is missing");
    }
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.banter.local.tokenizer;

import dev.banter.local.gguf.GgufFile;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test resources and the tokenizers of the vocabulary fixtures, loaded once. */
final class Fixtures {
  private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

  private Fixtures() {}

  static Path resource(String name) {
    URL url = Fixtures.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tokenizer of {@code tokenizer/ggml-vocab-NAME.gguf}. */
  static Tokenizer vocab(String name) {
    return CACHE.computeIfAbsent("tokenizer/ggml-vocab-" + name + ".gguf", Fixtures::load);
  }

  /** The tokenizer of any GGUF test resource. */
  static Tokenizer of(String resource) {
    return CACHE.computeIfAbsent(resource, Fixtures::load);
  }

  private static Tokenizer load(String resource) {
    try (GgufFile f = GgufFile.open(resource(resource))) {
      return Tokenizer.from(f);
    }
  }
}

package dev.banter.local.tokenizer;

import dev.banter.local.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

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
    Path path = Fixtures.class.getClassLoader().getResource(resource) == null
        && Fixtures.class.getClassLoader().getResource(resource + ".gz") != null
        ? gunzip(resource(resource + ".gz")) : resource(resource);
    try (GgufFile f = GgufFile.open(path)) {
      return Tokenizer.from(f);
    }
  }

  /** Large vocabularies are stored gzipped (o200k: 12.9 MB, 3.8 MB compressed); expanded to a temporary file. */
  private static Path gunzip(Path gz) {
    try {
      Path out = Files.createTempFile("vocab", ".gguf");
      out.toFile().deleteOnExit();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

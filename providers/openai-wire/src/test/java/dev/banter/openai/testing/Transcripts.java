package dev.banter.openai.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server transcripts written from wire-formats.md, one per dialect and situation, kept under
 * {@code dev/banter/openai/testing/transcripts/}: {@code .sse} files are stream bodies,
 * {@code .json} files whole answers or error bodies.
 */
public final class Transcripts {
  private Transcripts() {}

  public static String load(String name) {
    String path = "/dev/banter/openai/testing/transcripts/" + name;
    try (InputStream in = Transcripts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no transcript " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

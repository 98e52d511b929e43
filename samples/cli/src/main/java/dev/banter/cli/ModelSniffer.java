package dev.banter.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Finds the top-level {@code "model"} of a JSON request body as its bytes stream past, without
 * keeping them: a non-blocking parser is fed each buffer and stops once the model is known or the
 * JSON turns out broken (the server answers that request with a 400 anyway).
 */
final class ModelSniffer {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int MAX_MODEL_CHARS = 100;

  private final JsonParser parser;
  private int depth;
  private boolean modelNext;
  private boolean done;
  private String model = "";

  ModelSniffer() {
    try {
      parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
    }
  }

  /** Feeds the next bytes of the body. */
  void feed(byte[] bytes) {
    if (done || bytes.length == 0) {
      return;
    }
    try {
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(bytes, 0, bytes.length);
      for (JsonToken t = parser.nextToken(); t != null && t != JsonToken.NOT_AVAILABLE; t = parser.nextToken()) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
          modelNext = false;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t == JsonToken.FIELD_NAME) {
          modelNext = depth == 1 && "model".equals(parser.currentName());
        } else {
          if (modelNext && t == JsonToken.VALUE_STRING) {
            model = printable(parser.getText());
            done = true;
            return;
          }
          modelNext = false;
        }
      }
    } catch (IOException e) {
      done = true;
    }
  }

  /** The model the request names, cut and cleaned for a log line; empty when none (yet). */
  String model() {
    return model;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_MODEL_CHARS));
    for (int i = 0; i < s.length() && sb.length() < MAX_MODEL_CHARS; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f || Character.isWhitespace(c) ? '_' : c);
    }
    return sb.toString();
  }
}

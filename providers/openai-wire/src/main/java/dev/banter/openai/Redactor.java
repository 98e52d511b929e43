package dev.banter.openai;

import dev.banter.spi.Secret;

/**
 * Removes a secret from text a server sent back (some servers echo the key they rejected) before
 * the text reaches an exception message or a log line.
 */
final class Redactor {
  static final Redactor NONE = new Redactor(null);

  private final Secret secret;

  Redactor(Secret secret) {
    this.secret = secret;
  }

  String apply(String text) {
    if (secret == null || text == null || text.isEmpty()) {
      return text;
    }
    String value = secret.reveal();
    String out = text.replace(value, "****");
    if (value.length() >= 12) {
      // also the "sk-abc***xyz" style that keeps a head of the key
      out = out.replace(value.substring(0, value.length() - 4), "****");
    }
    return out;
  }
}

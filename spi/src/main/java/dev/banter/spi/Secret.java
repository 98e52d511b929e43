package dev.banter.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret setting such as an API key. Its {@link #toString()} prints {@code ****}, so a secret
 * that ends up in a log line, an exception message or a debugger view does not leak; only
 * {@link #reveal()} gives the value, to be used at the point of sending it. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Secret key = config.secret("api-key", "XAI_API_KEY").orElseThrow();
 * request.putHeader("Authorization", "Bearer " + key.reveal());
 * log.info("using key {}", key); // using key ****
 * }</pre>
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret value.
   *
   * @throws IllegalArgumentException if the value is empty (the message does not show it)
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    return new Secret(value);
  }

  /** The secret value. Use it where it is sent, never where it is printed. */
  public String reveal() {
    return value;
  }

  /**
   * Compares with {@code candidate} in time independent of where they differ (for checking a
   * presented bearer token).
   */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
        candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** Always {@code ****}. */
  @Override
  public String toString() {
    return "****";
  }
}

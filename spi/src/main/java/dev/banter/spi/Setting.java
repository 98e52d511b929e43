package dev.banter.spi;

import java.util.Objects;

/**
 * One setting a backend reads: its key and what it means. A provider lists its settings so that
 * a key nobody reads is refused by name instead of silently ignored. Immutable and thread-safe.
 *
 * <pre>{@code
 * public List<Setting> settings() {
 *   return List.of(Setting.of("model", "the GGUF file (required)"),
 *                  Setting.of("threads", "threads per matrix product (default: all cores)"));
 * }
 * }</pre>
 *
 * @param key the key, as given to {@code set(key, value)}: lower case, digits and {@code -}
 * @param description what the setting means, with its default; shown when a key is refused
 */
public record Setting(String key, String description) {
  /** @throws IllegalArgumentException if the key is not lower case letters, digits and {@code -} */
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    if (!key.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("a setting key is lower-case letters, digits and '-', got '" + key + "'");
    }
  }

  public static Setting of(String key, String description) {
    return new Setting(key, description);
  }
}

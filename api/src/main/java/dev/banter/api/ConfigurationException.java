package dev.banter.api;

import java.util.Optional;

/**
 * Banter was configured wrongly: an unknown backend id, a missing setting, an invalid persona
 * or configuration file. The message names the source and the field at fault. Not retryable.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (ConfigurationException e) {
 *   System.err.println(e.source().orElse("config") + ": " + e.field().orElse("?") + ": " + e.getMessage());
 * }
 * }</pre>
 */
public class ConfigurationException extends BanterException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String field;

  /**
   * @param source where the bad value came from (a file path, {@code builder}), or {@code null}
   * @param field the field or setting at fault (for example {@code traits.humor}), or {@code null}
   */
  public ConfigurationException(String message, String source, String field, Throwable cause) {
    super(message, null, cause);
    this.source = source;
    this.field = field;
  }

  public ConfigurationException(String message) {
    this(message, null, null, null);
  }

  /** Where the bad configuration came from, when it came from a file or a named source. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** The field or setting at fault, when one is. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}

package dev.banter.api;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A model could not be loaded: a missing, truncated, corrupt or hostile model file, an
 * unsupported architecture or tensor type. The message names the file, the byte offset and
 * what was wrong. Not retryable. Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (ModelLoadException e) {
 *   System.err.println(e.file().orElse("?") + " @" + e.offset().orElse(-1) + ": " + e.getMessage());
 * }
 * }</pre>
 */
public class ModelLoadException extends BanterException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  /**
   * @param file the model file, or {@code null}
   * @param offset the byte offset where the problem was found, or a negative number
   */
  public ModelLoadException(String message, String file, long offset, Throwable cause) {
    super(message, null, cause);
    this.file = file;
    this.offset = offset;
  }

  public ModelLoadException(String message, String file, long offset) {
    this(message, file, offset, null);
  }

  /** The file that failed to load, when the failure concerns a file. */
  public Optional<String> file() {
    return Optional.ofNullable(file);
  }

  /** The byte offset in {@link #file()} where the problem was found, when known. */
  public OptionalLong offset() {
    return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
  }
}

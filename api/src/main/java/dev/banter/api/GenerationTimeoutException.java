package dev.banter.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A generation took too long: no first token within the time-to-first-token limit, or silence
 * between two tokens longer than the idle limit. Retryable only for {@link Phase#FIRST_TOKEN}.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * catch (GenerationTimeoutException e) {
 *   System.err.println(e.phase() + " timed out after " + e.limit());
 * }
 * }</pre>
 */
public class GenerationTimeoutException extends BackendUnavailableException {
  private static final long serialVersionUID = 1L;

  /**
   * Which limit was exceeded.
   *
   * <pre>{@code
   * boolean worthRetrying = e.phase() == GenerationTimeoutException.Phase.FIRST_TOKEN;
   * }</pre>
   */
  public enum Phase {
    /** Waiting for the first token (or the first byte of the response). */
    FIRST_TOKEN,
    /** Waiting for the next token after at least one arrived. */
    BETWEEN_TOKENS
  }

  private final Phase phase;
  private final Duration limit;

  public GenerationTimeoutException(String message, String backendId, Phase phase, Duration limit) {
    super(message, backendId, null);
    this.phase = Objects.requireNonNull(phase, "phase");
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  public Phase phase() {
    return phase;
  }

  public Duration limit() {
    return limit;
  }

  @Override
  public boolean retryable() {
    return phase == Phase.FIRST_TOKEN;
  }
}

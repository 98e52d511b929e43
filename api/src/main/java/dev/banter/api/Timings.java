package dev.banter.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a call took: time to first token, total time, and the rates of prompt processing
 * and generation. Immutable and thread-safe.
 *
 * <pre>{@code
 * Timings t = response.timings();
 * System.out.printf("first token after %d ms, %.1f tokens/s%n",
 *     t.timeToFirstToken().toMillis(), t.tokensPerSecond());
 * }</pre>
 */
public final class Timings {
  private static final Timings UNKNOWN = new Timings(Duration.ZERO, Duration.ZERO, 0, 0);

  private final Duration timeToFirstToken;
  private final Duration total;
  private final double promptTokensPerSecond;
  private final double tokensPerSecond;

  public Timings(Duration timeToFirstToken, Duration total, double promptTokensPerSecond, double tokensPerSecond) {
    Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
    Objects.requireNonNull(total, "total");
    if (timeToFirstToken.isNegative() || total.isNegative()) {
      throw new IllegalArgumentException("durations must be >= 0, got ttft=" + timeToFirstToken + ", total=" + total);
    }
    if (!(promptTokensPerSecond >= 0) || !(tokensPerSecond >= 0)) {
      throw new IllegalArgumentException("rates must be >= 0, got prompt=" + promptTokensPerSecond
          + ", generation=" + tokensPerSecond);
    }
    this.timeToFirstToken = timeToFirstToken;
    this.total = total;
    this.promptTokensPerSecond = promptTokensPerSecond;
    this.tokensPerSecond = tokensPerSecond;
  }

  /** Nothing measured. */
  public static Timings unknown() {
    return UNKNOWN;
  }

  /**
   * Timings from the moments a generation passed: its start, its first token and its end
   * (nanosecond ticks of one clock), and the number of tokens generated.
   */
  public static Timings measured(long startNanos, long firstTokenNanos, long endNanos, int generatedTokens) {
    long ttft = Math.max(0, firstTokenNanos - startNanos);
    long total = Math.max(0, endNanos - startNanos);
    long decode = Math.max(0, endNanos - firstTokenNanos);
    double tps = generatedTokens > 1 && decode > 0 ? (generatedTokens - 1) * 1e9 / decode : 0;
    return new Timings(Duration.ofNanos(ttft), Duration.ofNanos(total), 0, tps);
  }

  /** From the call to the first generated token. */
  public Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  /** From the call to the end of the generation. */
  public Duration total() {
    return total;
  }

  /** Prompt tokens processed per second, 0 when unknown. */
  public double promptTokensPerSecond() {
    return promptTokensPerSecond;
  }

  /** Tokens generated per second after the first, 0 when unknown. */
  public double tokensPerSecond() {
    return tokensPerSecond;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Timings)) {
      return false;
    }
    Timings o = (Timings) other;
    return timeToFirstToken.equals(o.timeToFirstToken)
        && total.equals(o.total)
        && Double.compare(promptTokensPerSecond, o.promptTokensPerSecond) == 0
        && Double.compare(tokensPerSecond, o.tokensPerSecond) == 0;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(timeToFirstToken, total, promptTokensPerSecond, tokensPerSecond);
  }

  @Override
  public String toString() {
    return "Timings[" + "timeToFirstToken=" + timeToFirstToken + ", " + "total=" + total + ", " + "promptTokensPerSecond=" + promptTokensPerSecond + ", " + "tokensPerSecond=" + tokensPerSecond + "]";
  }
}

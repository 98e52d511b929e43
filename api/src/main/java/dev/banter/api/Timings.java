package dev.banter.api;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How long a call took: time to first token, total time, and the rates of prompt processing
 * and generation where they were measured. Immutable and thread-safe.
 *
 * <pre>{@code
 * response.timings().ifPresent(t -> System.out.printf("first token after %d ms, %.1f tokens/s%n",
 *     t.timeToFirstToken().toMillis(), t.tokensPerSecond().orElse(0)));
 * }</pre>
 *
 * @param timeToFirstToken from the call to the first generated token
 * @param total from the call to the end of the generation
 * @param promptTokensPerSecond prompt tokens processed per second, when measured
 * @param tokensPerSecond tokens generated per second after the first, when measured
 */
public record Timings(Duration timeToFirstToken, Duration total, OptionalDouble promptTokensPerSecond,
    OptionalDouble tokensPerSecond) {
  /** @throws IllegalArgumentException if a duration or a rate is negative */
  public Timings {
    Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(promptTokensPerSecond, "promptTokensPerSecond");
    Objects.requireNonNull(tokensPerSecond, "tokensPerSecond");
    if (timeToFirstToken.isNegative() || total.isNegative()) {
      throw new IllegalArgumentException("durations must be >= 0, got ttft=" + timeToFirstToken + ", total=" + total);
    }
    if (!(promptTokensPerSecond.orElse(0) >= 0) || !(tokensPerSecond.orElse(0) >= 0)) {
      throw new IllegalArgumentException("rates must be >= 0, got prompt=" + promptTokensPerSecond
          + ", generation=" + tokensPerSecond);
    }
  }

  /** Durations only, no rates. */
  public static Timings of(Duration timeToFirstToken, Duration total) {
    return new Timings(timeToFirstToken, total, OptionalDouble.empty(), OptionalDouble.empty());
  }

  /**
   * Timings from the moments a generation passed: its start, its first token and its end
   * (nanosecond ticks of one clock), and the number of tokens generated; the generation rate is
   * known from two tokens on.
   */
  public static Timings measured(long startNanos, long firstTokenNanos, long endNanos, int generatedTokens) {
    long ttft = Math.max(0, firstTokenNanos - startNanos);
    long total = Math.max(0, endNanos - startNanos);
    long decode = Math.max(0, endNanos - firstTokenNanos);
    OptionalDouble tps = generatedTokens > 1 && decode > 0
        ? OptionalDouble.of((generatedTokens - 1) * 1e9 / decode)
        : OptionalDouble.empty();
    return new Timings(Duration.ofNanos(ttft), Duration.ofNanos(total), OptionalDouble.empty(), tps);
  }
}

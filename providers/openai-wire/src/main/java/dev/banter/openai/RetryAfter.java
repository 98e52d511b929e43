package dev.banter.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads how long a server asked the client to wait, in the order the official OpenAI SDK uses:
 * {@code retry-after-ms} (milliseconds, may be fractional), then {@code Retry-After} as seconds
 * (may be fractional), then {@code Retry-After} as an HTTP date.
 */
final class RetryAfter {
  private RetryAfter() {}

  /** The wait, or {@code null} when neither header gives a usable value. */
  static Duration parse(String retryAfterMs, String retryAfter, Clock clock) {
    if (retryAfterMs != null) {
      try {
        double ms = Double.parseDouble(retryAfterMs.trim());
        if (ms >= 0 && !Double.isInfinite(ms)) {
          return Duration.ofNanos(Math.round(ms * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    if (retryAfter == null || retryAfter.trim().isEmpty()) {
      return null;
    }
    String v = retryAfter.trim();
    try {
      double seconds = Double.parseDouble(v);
      if (seconds >= 0 && seconds < 1e9) {
        return Duration.ofMillis(Math.round(seconds * 1000));
      }
      return null;
    } catch (NumberFormatException ignored) {
      // an HTTP date
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A {@code Retry-After} header value in whole seconds, rounded up, at least 1. */
  static String header(Duration wait) {
    long ms = Math.max(0, wait.toMillis());
    return Long.toString(Math.max(1, (ms + 999) / 1000));
  }
}

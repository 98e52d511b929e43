package dev.banter.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Watches generated text for stop sequences, releasing only text that can no longer turn out to
 * be part of one: the longest tail that is the start of some stop sequence is held back until
 * the next piece decides it. The text stops where a stop sequence is first complete (as if it
 * arrived one character at a time, so the result does not depend on how it was cut into
 * pieces); the text before that stop sequence is released, the stop text and anything after it
 * never are. Not thread-safe: one per generation.
 *
 * <pre>{@code
 * StopSequences stops = StopSequences.of(List.of("\nUser:"));
 * emit(stops.append(" Hello"));   // " Hello"
 * emit(stops.append("!\nUs"));    // "!"   ("\nUs" is held)
 * emit(stops.append("er: hi"));   // ""    and stops.stopped() is now true
 * emit(stops.flush());            // held text when the generation ends for another reason
 * }</pre>
 */
public final class StopSequences {
  private final List<String> stops;
  private final StringBuilder held = new StringBuilder();
  private boolean stopped;

  private StopSequences(List<String> stops) {
    this.stops = stops;
  }

  /** Watches for {@code stops}; empty strings are ignored. */
  public static StopSequences of(List<String> stops) {
    List<String> kept = new ArrayList<>();
    for (String s : Objects.requireNonNull(stops, "stops")) {
      if (!Objects.requireNonNull(s, "stop sequence").isEmpty()) {
        kept.add(s);
      }
    }
    return new StopSequences(Collections.unmodifiableList(kept));
  }

  /** The stop sequences watched for. */
  public List<String> sequences() {
    return stops;
  }

  /** Whether a stop sequence has been generated; nothing more is released after that. */
  public boolean stopped() {
    return stopped;
  }

  /**
   * Adds the next piece of generated text and returns the text now safe to show (possibly empty).
   */
  public String append(String piece) {
    if (stopped) {
      return "";
    }
    if (stops.isEmpty()) {
      return piece;
    }
    held.append(piece);
    // The generation stops where the first stop sequence is complete, as if the text arrived one
    // character at a time: the occurrence that ends first (of those, the one that starts first).
    int first = -1;
    int firstEnd = -1;
    for (String s : stops) {
      int at = held.indexOf(s);
      if (at < 0) {
        continue;
      }
      int end = at + s.length();
      if (first < 0 || end < firstEnd || (end == firstEnd && at < first)) {
        first = at;
        firstEnd = end;
      }
    }
    if (first >= 0) {
      stopped = true;
      String out = held.substring(0, first);
      held.setLength(0);
      return out;
    }
    int keep = 0;
    for (String s : stops) {
      keep = Math.max(keep, partialMatch(held, s));
    }
    String out = held.substring(0, held.length() - keep);
    held.delete(0, held.length() - keep);
    return out;
  }

  /** Returns the held-back text (the generation ended without a stop sequence) and clears it. */
  public String flush() {
    if (stopped) {
      return "";
    }
    String out = held.toString();
    held.setLength(0);
    return out;
  }

  /** The length of the longest proper prefix of {@code stop} that {@code text} ends with. */
  private static int partialMatch(CharSequence text, String stop) {
    int max = Math.min(stop.length() - 1, text.length());
    for (int k = max; k > 0; k--) {
      boolean match = true;
      int start = text.length() - k;
      for (int i = 0; i < k; i++) {
        if (text.charAt(start + i) != stop.charAt(i)) {
          match = false;
          break;
        }
      }
      if (match) {
        return k;
      }
    }
    return 0;
  }
}

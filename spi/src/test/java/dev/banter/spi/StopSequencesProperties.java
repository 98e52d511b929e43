package dev.banter.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * However the generated text is cut into pieces, what the stop watcher releases is exactly the
 * text before the stop sequence that completes first: the stop text never appears, and nothing
 * before it is lost or reordered.
 */
class StopSequencesProperties {
  @Provide
  Arbitrary<String> text() {
    // A small alphabet makes partial and overlapping matches frequent.
    return Arbitraries.strings().withChars("ab\nU:").ofMaxLength(40);
  }

  @Provide
  Arbitrary<List<String>> stops() {
    return Arbitraries.strings().withChars("ab\nU:").ofMinLength(1).ofMaxLength(4).list().ofMinSize(1).ofMaxSize(3);
  }

  @Property(tries = 1000)
  void released_text_is_the_text_before_the_first_stop_however_it_is_split(@ForAll("text") String text,
      @ForAll("stops") List<String> stops, @ForAll("cuts") List<Integer> cuts) {
    StopSequences w = StopSequences.of(stops);
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (String piece : split(text, cuts)) {
      out.append(w.append(piece));
      from += piece.length();
      if (w.stopped()) {
        break;
      }
    }
    out.append(w.flush());
    // Read character by character, the text ends at the first position where a stop is complete.
    int first = -1;
    for (int end = 1; end <= text.length() && first < 0; end++) {
      for (String s : stops) {
        if (text.startsWith(s, end - s.length()) && end >= s.length()) {
          int at = end - s.length();
          first = first < 0 ? at : Math.min(first, at);
        }
      }
    }
    String expected = first < 0 ? text : text.substring(0, first);
    assertEquals(expected, out.toString());
    assertEquals(first >= 0, w.stopped());
  }

  @Property(tries = 500)
  void released_text_never_contains_a_stop_sequence(@ForAll("text") String text,
      @ForAll("stops") List<String> stops, @ForAll("cuts") List<Integer> cuts) {
    StopSequences w = StopSequences.of(stops);
    StringBuilder out = new StringBuilder();
    for (String piece : split(text, cuts)) {
      out.append(w.append(piece));
    }
    out.append(w.flush());
    for (String s : stops) {
      assertFalse(out.toString().contains(s), "released text " + out + " contains stop " + s);
    }
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 5).list().ofMaxSize(40);
  }

  private static List<String> split(String text, List<Integer> sizes) {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (int size : sizes) {
      if (i >= text.length()) {
        break;
      }
      int end = Math.min(text.length(), i + size);
      out.add(text.substring(i, end));
      i = end;
    }
    if (i < text.length()) {
      out.add(text.substring(i));
    }
    return out;
  }

  @Test
  void a_stop_split_over_three_pieces_is_held_back_and_dropped() {
    StopSequences w = StopSequences.of(List.of("\nUser:"));
    assertEquals(" Hello", w.append(" Hello"));
    assertEquals("!", w.append("!\nUs"));
    assertEquals("", w.append("er"));
    assertFalse(w.stopped());
    assertEquals("", w.append(": hi"));
    assertTrue(w.stopped());
    assertEquals("", w.flush());
  }

  @Test
  void a_false_start_is_released_once_it_cannot_match() {
    StopSequences w = StopSequences.of(List.of("###"));
    assertEquals("a", w.append("a##"));
    assertEquals("##b", w.append("b"));
    assertEquals("", w.append("#"));
    assertEquals("#", w.flush());
  }

  @Test
  void without_stop_sequences_every_piece_passes_at_once() {
    StopSequences w = StopSequences.of(List.of("", ""));
    assertEquals("abc", w.append("abc"));
    assertTrue(w.sequences().isEmpty());
  }

  @Property(tries = 100)
  void the_stop_that_completes_first_wins_over_one_that_would_start_earlier(
      @ForAll @IntRange(min = 0, max = 5) int prefix) {
    String lead = "x".repeat(prefix);
    StopSequences w = StopSequences.of(List.of("U: ", ":"));
    assertEquals(lead + "U", w.append(lead + "U: "));
    assertTrue(w.stopped());
  }
}

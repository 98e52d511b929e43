package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.Timings;
import dev.banter.api.Usage;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Durations, sizes, the progress bar, the spinner and the summary line. */
class UnitsTest {
  @Test
  void durations_and_sizes_read_with_their_units() {
    assertEquals(Duration.ofMillis(500), Units.duration("500ms"));
    assertEquals(Duration.ofSeconds(30), Units.duration("30s"));
    assertEquals(Duration.ofSeconds(7), Units.duration("7"));
    assertEquals(Duration.ofMinutes(2), Units.duration("2m"));
    assertEquals(4L << 20, Units.bytes("4MiB"));
    assertEquals(512L << 10, Units.bytes("512k"));
    assertEquals(65536, Units.bytes("65536"));
    assertThrows(TypeConversionException.class, () -> Units.duration("soon"));
    assertThrows(TypeConversionException.class, () -> Units.bytes("-1"));
    assertThrows(TypeConversionException.class, () -> Units.bytes("99999999999999999g"));
  }

  @Test
  void sizes_print_for_people() {
    assertEquals("999 B", Units.human(999));
    assertEquals("7.0 MB", Units.human(7_012_704));
    assertEquals("300 KB", Units.human(300_000));
  }

  @Test
  void the_progress_bar_fills_with_the_bytes() {
    assertEquals("m.gguf [===============>              ]  50%  3.5 MB / 7.0 MB  1.0 MB/s",
        ProgressBar.render("m.gguf", 3_500_000, 7_000_000, 1_000_000));
    assertEquals("m.gguf 3.5 MB", ProgressBar.render("m.gguf", 3_500_000, -1, 0));
  }

  @Test
  void the_spinner_turns_and_counts_seconds() {
    assertEquals("⠋ Loading x… 1.5 s", Spinner.frame(0, "Loading x", 1500));
    assertEquals("⠙ Loading x… 0.0 s", Spinner.frame(11, "Loading x", 0));
  }

  @Test
  void the_summary_names_tokens_speed_first_token_and_finish() {
    ChatResponse r = ChatResponse.builder().text("hi").usage(Usage.of(10, 42)).finishReason(FinishReason.LENGTH)
        .timings(new Timings(Duration.ofMillis(120), Duration.ofSeconds(2), OptionalDouble.empty(),
            OptionalDouble.of(18.25))).build();
    assertEquals("[42 tokens, 18.3 tokens/s, first token 120 ms, finish: length (token limit)]", Stats.line(r));
    ChatResponse bare = ChatResponse.builder().text("hi").build();
    assertTrue(Stats.line(bare).endsWith("finish: stop]"), Stats.line(bare));
  }
}

package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<SseEvent> events = new ArrayList<>();
  private final SseParser parser = new SseParser(1024, "test", events::add);

  private void feed(String s) {
    parser.feed(s.getBytes(StandardCharsets.UTF_8));
  }

  private static SseEvent message(String data) {
    return new SseEvent("message", data, "");
  }

  @Test
  void lf_cr_and_crlf_line_ends_are_equivalent() {
    feed("data: a\n\ndata: b\r\rdata: c\r\n\r\n");
    assertEquals(List.of(message("a"), message("b"), message("c")), events);
  }

  @Test
  void multi_line_data_joins_with_lf_and_one_leading_space_is_dropped() {
    feed("data: YHOO\ndata:+2\ndata:  10\n\n");
    assertEquals(List.of(message("YHOO\n+2\n 10")), events);
  }

  @Test
  void comments_and_unknown_fields_are_ignored_and_comment_only_blocks_fire_nothing() {
    feed(": keep-alive\n\nfoo: bar\ndata: x\n: inside\n\n");
    assertEquals(List.of(message("x")), events);
  }

  @Test
  void event_id_and_retry_fields_are_honoured() {
    feed("event: delta\nid: 42\nretry: 1500\ndata: x\n\ndata: y\n\nid\ndata: z\n\n");
    assertEquals(List.of(new SseEvent("delta", "x", "42"), new SseEvent("message", "y", "42"), message("z")), events);
    assertEquals(1500, parser.retryMillis());
  }

  @Test
  void retry_with_a_non_digit_and_id_with_nul_are_ignored() {
    feed("retry: 10s\nid: a\u0000b\ndata: x\n\n");
    assertEquals(-1, parser.retryMillis());
    assertEquals(List.of(message("x")), events);
  }

  @Test
  void a_data_field_without_value_gives_an_empty_event_and_two_give_a_newline() {
    feed("data\n\ndata\ndata\n\n");
    assertEquals(List.of(message(""), message("\n")), events);
  }

  @Test
  void one_leading_bom_is_dropped_even_when_split() {
    byte[] all = "\uFEFFdata: x\n\n".getBytes(StandardCharsets.UTF_8);
    parser.feed(all, 0, 1);
    parser.feed(all, 1, 2);
    parser.feed(all, 3, all.length - 3);
    assertEquals(List.of(message("x")), events);
  }

  @Test
  void a_second_bom_is_kept_as_part_of_the_field_name() {
    feed("\uFEFF\uFEFFdata: x\n\ndata: y\n\n");
    assertEquals(List.of(message("y")), events);
  }

  @Test
  void cr_at_the_end_of_one_packet_and_lf_at_the_start_of_the_next_is_one_line_end() {
    feed("data: a\r");
    feed("\ndata: b\r");
    feed("\n\r");
    feed("\n");
    assertEquals(List.of(message("a\nb")), events);
  }

  @Test
  void a_multi_byte_character_split_across_packets_decodes_whole() {
    byte[] all = "data: h\u00e9llo \ud83d\ude00\n\n".getBytes(StandardCharsets.UTF_8);
    for (byte b : all) {
      parser.feed(new byte[] {b}, 0, 1);
    }
    assertEquals(List.of(message("h\u00e9llo \ud83d\ude00")), events);
  }

  @Test
  void invalid_utf8_becomes_replacement_characters() {
    parser.feed(new byte[] {'d', 'a', 't', 'a', ':', (byte) 0xC3, (byte) 0x28, '\n', '\n'});
    assertEquals(List.of(message("\uFFFD(")), events);
  }

  @Test
  void an_unterminated_event_at_the_end_is_dropped() {
    feed("data: x\n\ndata: y\n");
    parser.end();
    assertEquals(List.of(message("x")), events);
  }

  @Test
  void a_line_over_the_limit_fails_as_soon_as_it_crosses_it() {
    byte[] chunk = new byte[600];
    java.util.Arrays.fill(chunk, (byte) 'x');
    feed("data: ");
    parser.feed(chunk);
    ProtocolException e = assertThrows(ProtocolException.class, () -> parser.feed(chunk));
    assertTrue(e.getMessage().contains("larger than 1024 bytes"), e.getMessage());
  }

  @Test
  void many_data_lines_over_the_limit_fail_too() {
    String line = "data: " + "y".repeat(100) + "\n";
    assertThrows(ProtocolException.class, () -> {
      for (int i = 0; i < 20; i++) {
        feed(line);
      }
    });
  }

  @Test
  void many_small_events_never_hit_the_limit() {
    for (int i = 0; i < 1000; i++) {
      feed("data: " + "z".repeat(200) + "\n\n");
    }
    assertEquals(1000, events.size());
  }
}

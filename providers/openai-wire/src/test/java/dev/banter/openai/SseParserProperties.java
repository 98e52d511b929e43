package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.banter.api.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class SseParserProperties {
  private static List<SseEvent> parse(byte[] stream, List<Integer> cuts, int max) {
    List<SseEvent> out = new ArrayList<>();
    SseParser p = new SseParser(max, "test", out::add);
    int from = 0;
    for (int cut : cuts) {
      int to = Math.min(stream.length, Math.max(from, cut));
      p.feed(stream, from, to - from);
      from = to;
    }
    p.feed(stream, from, stream.length - from);
    p.end();
    return out;
  }

  @Provide
  Arbitrary<String> streams() {
    Arbitrary<String> value = Arbitraries.strings().withChars("abc xyz:{}\"[]é😀\u00a0").ofMaxLength(20);
    Arbitrary<String> eol = Arbitraries.of("\n", "\r", "\r\n");
    Arbitrary<String> line = Combinators.combine(Arbitraries.of("data", "data", "data", "event", "id", ":", "retry", "x"),
        value, eol).as((f, v, e) -> f + (f.equals(":") ? v : ": " + v) + e);
    Arbitrary<String> event = Combinators.combine(line.list().ofMinSize(1).ofMaxSize(4), eol)
        .as((lines, e) -> String.join("", lines) + e);
    return Combinators.combine(Arbitraries.of("", "\uFEFF"), event.list().ofMaxSize(8))
        .as((bom, events) -> bom + String.join("", events));
  }

  @Property(tries = 300)
  void any_split_into_packets_yields_the_same_events(@ForAll("streams") String text,
      @ForAll @Size(max = 12) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 400) Integer> cuts) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<Integer> sorted = new ArrayList<>(cuts);
    sorted.sort(Integer::compare);
    assertEquals(parse(bytes, List.of(), 1 << 20), parse(bytes, sorted, 1 << 20));
  }

  @Property(tries = 100)
  void byte_by_byte_feeding_yields_the_same_events(@ForAll("streams") String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<Integer> every = new ArrayList<>();
    for (int i = 1; i < bytes.length; i++) {
      every.add(i);
    }
    assertEquals(parse(bytes, List.of(), 1 << 20), parse(bytes, every, 1 << 20));
  }

  @Property(tries = 300)
  void random_bytes_never_throw_anything_but_a_protocol_exception(@ForAll @Size(max = 3000) byte[] bytes,
      @ForAll @Size(max = 6) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 3000) Integer> cuts) {
    List<Integer> sorted = new ArrayList<>(cuts);
    sorted.sort(Integer::compare);
    try {
      parse(bytes, sorted, 256);
    } catch (ProtocolException expected) {
      // the parser's own, clear error for an oversize event
    }
  }
}

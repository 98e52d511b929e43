package dev.banter.local.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.banter.api.ChatChunk;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Streaming a model's output in any pieces gives what parsing it whole gives. */
class ChatOutputParserProperties {
  @Provide
  Arbitrary<Samples.Sample> samples() {
    return Arbitraries.of(Samples.all());
  }

  @Property(tries = 2000)
  void streamed_in_random_pieces_the_deltas_add_up_to_the_whole_message(@ForAll("samples") Samples.Sample s,
      @ForAll("cuts") List<Double> cuts, @ForAll long seed) {
    List<String> pieces = split(s.output(), cuts);
    ChatOutputParser p = s.format().parser(s.prompt(), new Random(seed));
    List<ChatChunk> chunks = new ArrayList<>();
    for (String piece : pieces) {
      chunks.addAll(p.feed(piece));
    }
    chunks.addAll(p.finish());
    ChatOutputParser once = s.format().parser(s.prompt(), new Random(seed));
    once.feed(s.output());
    once.finish();
    ParsedMessage whole = once.result();
    assertEquals(whole, p.result(), "pieces " + pieces);
    Snapshot fresh = s.format().snapshot(s.output(), s.format().thinks() && Thinking.opensIn(s.prompt()), false);
    assertEquals(fresh.content(), p.result().content(), "a parse from scratch");
    assertEquals(fresh.reasoning(), p.result().reasoning(), "a parse from scratch");
    assertEquals(fresh.calls().size(), p.result().toolCalls().size(), "a parse from scratch");
    for (int i = 0; i < fresh.calls().size(); i++) {
      assertEquals(fresh.calls().get(i).name(), p.result().toolCalls().get(i).name());
      assertEquals(fresh.calls().get(i).arguments(), p.result().toolCalls().get(i).arguments());
    }
    ChatOutputParserTest.assertMessage(s, p.result());
    if (!s.clean()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    List<String[]> calls = new ArrayList<>();
    for (ChatChunk c : chunks) {
      text.append(c.text());
      reasoning.append(c.reasoning());
      for (ToolCallDelta d : c.toolCalls()) {
        if (d.name().isPresent()) {
          assertEquals(calls.size(), d.index(), "calls start in order");
          calls.add(new String[] {d.id().orElseThrow(), d.name().get(), d.argumentsFragment()});
        } else {
          calls.get(d.index())[2] += d.argumentsFragment();
        }
      }
    }
    assertEquals(whole.content(), text.toString(), "text deltas, pieces " + pieces);
    assertEquals(whole.reasoning(), reasoning.toString(), "reasoning deltas, pieces " + pieces);
    List<ToolCall> streamed = new ArrayList<>();
    for (String[] c : calls) {
      streamed.add(new ToolCall(c[0], c[1], c[2]));
    }
    assertEquals(whole.toolCalls(), streamed, "call deltas, pieces " + pieces);
  }

  @Provide
  Arbitrary<List<Double>> cuts() {
    return Arbitraries.doubles().between(0, 1).list().ofMaxSize(40);
  }

  static List<String> split(String text, List<Double> cuts) {
    TreeSet<Integer> at = new TreeSet<>();
    for (double c : cuts) {
      at.add((int) (c * text.length()));
    }
    at.add(text.length());
    List<String> pieces = new ArrayList<>();
    int from = 0;
    for (int to : at) {
      if (to > from) {
        pieces.add(text.substring(from, to));
        from = to;
      }
    }
    return pieces;
  }

  @Property(tries = 300)
  void one_character_at_a_time_is_a_split_too(@ForAll("samples") Samples.Sample s) {
    ChatOutputParser p = s.format().parser(s.prompt(), new Random(1));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < s.output().length(); i++) {
      for (ChatChunk c : p.feed(s.output().substring(i, i + 1))) {
        text.append(c.text());
      }
    }
    for (ChatChunk c : p.finish()) {
      text.append(c.text());
    }
    ChatOutputParserTest.assertMessage(s, p.result());
    if (s.clean()) {
      assertEquals(p.result().content(), text.toString());
    }
  }
}

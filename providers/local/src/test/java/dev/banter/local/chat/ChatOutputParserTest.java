package dev.banter.local.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.FinishReason;
import dev.banter.api.ToolCall;
import dev.banter.template.Json;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChatOutputParserTest {
  static Stream<Samples.Sample> samples() {
    return Samples.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void each_output_reads_as_its_message(Samples.Sample s) {
    ParsedMessage m = s.format().parse(s.prompt(), s.output());
    assertMessage(s, m);
  }

  static void assertMessage(Samples.Sample s, ParsedMessage m) {
    assertEquals(s.content(), m.content(), "content");
    assertEquals(s.reasoning(), m.reasoning(), "reasoning");
    assertEquals(s.calls().size(), m.toolCalls().size(), "calls: " + m.toolCalls());
    for (int i = 0; i < s.calls().size(); i++) {
      Samples.Call want = s.calls().get(i);
      ToolCall got = m.toolCalls().get(i);
      assertEquals(want.name(), got.name());
      assertEquals(want.arguments(), got.arguments());
      assertEquals(Json.parse(want.arguments()), Json.parse(got.arguments()), "arguments are JSON");
      if (want.id() != null) {
        assertEquals(want.id(), got.id());
      } else {
        assertTrue(got.id().matches(s.format().family() == ToolCallFamily.MISTRAL ? "[A-Za-z0-9]{9}" : "call_[A-Za-z0-9]{24}"),
            got.id());
      }
    }
    assertEquals(s.calls().isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS, m.finishReason(FinishReason.STOP));
  }

  @Test
  void a_possible_marker_is_held_back_until_it_is_decided() {
    ChatOutputParser p = Samples.QWEN25.parser(Samples.QWEN_PROMPT);
    assertEquals(List.of(ChatChunk.ofText("Hello")), p.feed("Hello <tool_"));
    assertEquals(List.of(), p.feed("call>\n{\"name\": \"get_"));
    List<ChatChunk> start = p.feed("weather\", \"arguments\": {\"ci");
    assertEquals(1, start.size());
    assertEquals("get_weather", start.get(0).toolCalls().get(0).name().orElseThrow());
    assertEquals("{\"ci", start.get(0).toolCalls().get(0).argumentsFragment());
    List<ChatChunk> more = p.feed("ty\": \"Oslo\"}}\n</tool_call>");
    assertEquals("ty\": \"Oslo\"}", more.get(0).toolCalls().get(0).argumentsFragment());
    assertEquals(List.of(), p.finish());
    assertEquals("Hello", p.result().content());
    assertEquals(1, p.result().toolCalls().size());
  }

  @Test
  void without_parallel_calls_the_answer_ends_at_the_first_call() {
    ChatOutputParser p = Samples.QWEN25.parser(Samples.QWEN_PROMPT, false);
    p.feed("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>\n");
    assertFalse(p.callLimitReached());
    List<ChatChunk> second = p.feed("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {");
    assertTrue(p.callLimitReached(), "a second call began");
    assertTrue(second.stream().allMatch(c -> c.toolCalls().stream().allMatch(d -> d.index() == 0)), second.toString());
    assertEquals(List.of(), p.feed("\"zone\": \"UTC\"}}\n</tool_call>"), "what follows is ignored");
    p.finish();
    assertEquals(1, p.result().toolCalls().size());
    assertEquals("get_weather", p.result().toolCalls().get(0).name());
    assertEquals("", p.result().content(), "the second call's markup is not text");
    assertEquals(FinishReason.TOOL_CALLS, p.result().finishReason(FinishReason.STOP));

    ChatOutputParser parallel = Samples.QWEN25.parser(Samples.QWEN_PROMPT, true);
    parallel.feed("<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\": \"b\", "
        + "\"arguments\": {}}\n</tool_call>");
    parallel.finish();
    assertEquals(2, parallel.result().toolCalls().size());
  }

  @Test
  void a_held_back_prefix_that_turns_out_to_be_text_is_sent_as_text() {
    ChatOutputParser p = Samples.QWEN25.parser(Samples.QWEN_PROMPT);
    assertEquals(List.of(ChatChunk.ofText("x")), p.feed("x <tool"));
    assertEquals(List.of(ChatChunk.ofText(" <toolbox")), p.feed("box"));
    assertEquals(List.of(), p.finish());
  }

  @Test
  void a_think_opening_split_across_pieces_is_reasoning() {
    ChatOutputParser p = Samples.QWEN3.parser(Samples.QWEN_PROMPT);
    assertEquals(List.of(), p.feed("<thi"));
    assertEquals(List.of(ChatChunk.ofReasoning("Hmm")), p.feed("nk>Hmm</th"));
    assertEquals(List.of(ChatChunk.ofText("Yes")), p.feed("ink>Yes"));
    p.finish();
    assertEquals("Hmm", p.result().reasoning());
  }

  @Test
  void a_call_cut_inside_its_arguments_ends_as_text_without_throwing() {
    ChatOutputParser p = Samples.QWEN25.parser(Samples.QWEN_PROMPT);
    List<ChatChunk> chunks = p.feed("<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1");
    assertFalse(chunks.isEmpty(), "the call started streaming");
    List<ChatChunk> end = p.finish();
    assertEquals("<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1", p.result().content());
    assertEquals(List.of(ChatChunk.ofText(p.result().content())), end);
    assertFalse(p.result().hasToolCalls());
  }

  @Test
  void garbage_never_throws() {
    Random r = new Random(42);
    String alphabet = "<>{}[]\"\\:,|/ _atoolcallTOOL_CALLS｜▁thinkfunctions.0123456789\n";
    for (ToolCallFamily family : ToolCallFamily.values()) {
      for (int k = 0; k < 300; k++) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(60);
        for (int i = 0; i < n; i++) {
          b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        String text = (k % 3 == 0 ? family.syntax().prefix() : "") + b;
        ChatOutputParser p = ChatFormat.of(family, true).parser("", r);
        for (int i = 0; i < text.length(); i += 3) {
          p.feed(text.substring(i, Math.min(text.length(), i + 3)));
        }
        p.finish();
        assertNotNull(p.result());
      }
    }
  }

  @Test
  void feeding_after_finish_is_refused() {
    ChatOutputParser p = Samples.GENERIC.parser("");
    p.finish();
    assertThrows(IllegalStateException.class, () -> p.feed("x"));
    assertThrows(IllegalStateException.class, p::finish);
    assertThrows(IllegalStateException.class, () -> Samples.GENERIC.parser("").result());
  }

  @Test
  void the_syntax_writes_what_the_parser_reads_for_every_family() {
    String arguments = "{\"city\": \"Oslo\", \"days\": 3}";
    for (ToolCallFamily family : ToolCallFamily.values()) {
      String text = family.syntax().write("get_weather", arguments);
      ParsedMessage m = ChatFormat.of(family, false).parse("", text);
      assertEquals(1, m.toolCalls().size(), family + ": " + text);
      assertEquals("get_weather", m.toolCalls().get(0).name(), family.name());
      assertEquals(Json.parse(arguments), Json.parse(m.toolCalls().get(0).arguments()), family.name());
      assertEquals("", m.content(), family.name());
    }
  }
}

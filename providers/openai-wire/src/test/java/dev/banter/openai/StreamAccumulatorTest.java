package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.FinishReason;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import dev.banter.openai.testing.Transcripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAccumulatorTest {
  /** Feeds a transcript through the SSE parser and the accumulator, returning the chunks. */
  private static List<ChatChunk> run(StreamAccumulator acc, String transcript) {
    List<ChatChunk> out = new ArrayList<>();
    SseParser p = new SseParser(1 << 20, "test", e -> {
      if (e.data.equals("[DONE]")) {
        return;
      }
      try {
        out.add(acc.accept(Json.read(e.data, WireResponse.class)));
      } catch (IOException ex) {
        throw new AssertionError(ex);
      }
    });
    p.feed(transcript.getBytes(StandardCharsets.UTF_8));
    return out;
  }

  @Test
  void tool_call_fragments_assemble_by_index_with_name_set_once() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.OPENAI);
    List<ChatChunk> chunks = run(acc, Transcripts.load("openai-tools.sse"));
    assertEquals(2, acc.toolCount());
    assertEquals("get_weather", acc.toolName(0));
    assertEquals("{\"city\":\"Oslo\"}", acc.toolArguments(0));
    assertEquals("call_A", acc.toolId(0));
    assertEquals("get_time", acc.toolName(1));
    assertEquals(FinishReason.TOOL_CALLS, acc.finishReason());
    long namesOf0 = chunks.stream().flatMap(c -> c.toolCalls().stream())
        .filter(d -> d.index() == 0 && !d.name().isEmpty()).count();
    assertEquals(1, namesOf0);
    assertEquals(Usage.of(20, 11), acc.usage());
  }

  @Test
  void tgi_tool_calls_at_index_zero_with_empty_ids_get_one_generated_id_and_one_name() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.SELF_HOSTED);
    List<ChatChunk> chunks = run(acc, Transcripts.load("tgi-tools.sse"));
    assertEquals(1, acc.toolCount());
    assertEquals("{\"city\":\"Oslo\"}", acc.toolArguments(0));
    assertTrue(acc.toolId(0).startsWith("call_"));
    List<ToolCallDelta> deltas = new ArrayList<>();
    chunks.forEach(c -> deltas.addAll(c.toolCalls()));
    assertEquals(1, deltas.stream().filter(d -> !d.id().isEmpty()).count());
    assertEquals(1, deltas.stream().filter(d -> !d.name().isEmpty()).count());
    assertEquals(FinishReason.TOOL_CALLS, acc.finishReason());
    assertTrue(acc.allChoicesFinished());
  }

  @Test
  void xai_reasoning_is_separate_and_reasoning_tokens_are_added_to_completion_tokens() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.XAI);
    run(acc, Transcripts.load("xai-reasoning.sse"));
    assertEquals("The user greets me.", acc.reasoning());
    assertEquals("Hello there!", acc.text());
    assertEquals(new Usage(863, 25 + 59, 800, 59), acc.usage());
    assertEquals(863 + 25 + 59, acc.usage().totalTokens());
  }

  @Test
  void xai_chunks_without_a_finish_reason_key_are_not_finished_until_the_last() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.XAI);
    String t = Transcripts.load("xai-text.sse");
    run(acc, t.substring(0, t.indexOf("lo there")));
    assertFalse(acc.allChoicesFinished());
  }

  @Test
  void vllm_continuous_usage_keeps_the_last_and_reasoning_field_is_read() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.SELF_HOSTED);
    run(acc, Transcripts.load("vllm-text.sse"));
    assertEquals(Usage.of(9, 4), acc.usage());
    assertEquals("Greeting.", acc.reasoning());
    assertEquals("Hello there!", acc.text());
  }

  @Test
  void llama_cpp_timings_are_kept_from_the_last_chunk() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.SELF_HOSTED);
    run(acc, Transcripts.load("llamacpp-text.sse"));
    assertNotNull(acc.timings());
    assertEquals(52.9, acc.timings().predictedPerSecond);
    assertEquals("Say hi.", acc.reasoning());
  }

  @Test
  void usage_falls_back_to_llama_cpp_timings_when_absent() {
    WireTimings t = new WireTimings();
    t.promptN = 9;
    t.cacheN = 236;
    t.predictedN = 3;
    assertEquals(new Usage(245, 3, 236, 0), WireMapping.usage(null, t, Dialect.SELF_HOSTED));
  }

  @Test
  void sglang_top_level_reasoning_tokens_and_openai_details_are_both_read() throws IOException {
    WireUsage sglang = Json.read("{\"prompt_tokens\":5,\"completion_tokens\":9,\"reasoning_tokens\":4}", WireUsage.class);
    assertEquals(new Usage(5, 9, 0, 4), WireMapping.usage(sglang, null, Dialect.SELF_HOSTED));
    WireUsage openai = Json.read("{\"prompt_tokens\":5,\"completion_tokens\":9,\"prompt_tokens_details\":"
        + "{\"cached_tokens\":2},\"completion_tokens_details\":{\"reasoning_tokens\":3}}", WireUsage.class);
    assertEquals(new Usage(5, 9, 2, 3), WireMapping.usage(openai, null, Dialect.OPENAI));
  }

  @Test
  void compatible_servers_finish_names_are_mapped() {
    assertEquals(FinishReason.STOP, WireMapping.finishReason("stop_sequence"));
    assertEquals(FinishReason.STOP, WireMapping.finishReason("eos_token"));
    assertEquals(FinishReason.ERROR, WireMapping.finishReason("abort"));
    assertEquals(FinishReason.LENGTH, WireMapping.finishReason("length"));
    assertEquals(FinishReason.CONTENT_FILTER, WireMapping.finishReason("content_filter"));
    assertEquals(FinishReason.STOP, WireMapping.finishReason("something_new"));
  }
}

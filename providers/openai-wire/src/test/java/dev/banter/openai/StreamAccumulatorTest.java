package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import dev.banter.openai.testing.Transcripts;
import dev.banter.spi.ChatStreamEmitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

  /** The answer the chunks add up to, as the stream a caller reads assembles it. */
  private static ChatResponse assemble(List<ChatChunk> chunks) {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    chunks.forEach(e::emit);
    e.complete(FinishReason.STOP);
    return e.await();
  }

  @Test
  void tool_call_fragments_assemble_by_index_with_name_set_once() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.OPENAI);
    List<ChatChunk> chunks = run(acc, Transcripts.load("openai-tools.sse"));
    List<ToolCall> calls = assemble(chunks).message().toolCalls();
    assertEquals(2, calls.size());
    assertEquals(new ToolCall("call_A", "get_weather", "{\"city\":\"Oslo\"}"), calls.get(0));
    assertEquals("get_time", calls.get(1).name());
    assertEquals(FinishReason.TOOL_CALLS, acc.finishReason());
    long namesOf0 = chunks.stream().flatMap(c -> c.toolCalls().stream())
        .filter(d -> d.index() == 0 && d.name().isPresent()).count();
    assertEquals(1, namesOf0);
    assertEquals(Optional.of(Usage.of(20, 11)), acc.usage());
  }

  @Test
  void tgi_tool_calls_at_index_zero_with_empty_ids_get_one_generated_id_and_one_name() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.SELF_HOSTED);
    List<ChatChunk> chunks = run(acc, Transcripts.load("tgi-tools.sse"));
    List<ToolCall> calls = assemble(chunks).message().toolCalls();
    assertEquals(1, calls.size());
    assertEquals("{\"city\":\"Oslo\"}", calls.get(0).arguments());
    assertTrue(calls.get(0).id().startsWith("call_"));
    List<ToolCallDelta> deltas = new ArrayList<>();
    chunks.forEach(c -> deltas.addAll(c.toolCalls()));
    assertEquals(1, deltas.stream().filter(d -> d.id().isPresent()).count());
    assertEquals(1, deltas.stream().filter(d -> d.name().isPresent()).count());
    assertEquals(FinishReason.TOOL_CALLS, acc.finishReason());
    assertTrue(acc.allChoicesFinished());
  }

  @Test
  void xai_reasoning_is_separate_and_reasoning_tokens_are_added_to_completion_tokens() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.XAI);
    ChatResponse r = assemble(run(acc, Transcripts.load("xai-reasoning.sse")));
    assertEquals("The user greets me.", r.reasoning());
    assertEquals("Hello there!", r.text());
    assertEquals(Optional.of(new Usage(863, 25 + 59, 800, 59)), acc.usage());
    assertEquals(863 + 25 + 59, acc.usage().orElseThrow().totalTokens());
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
    ChatResponse r = assemble(run(acc, Transcripts.load("vllm-text.sse")));
    assertEquals(Optional.of(Usage.of(9, 4)), acc.usage());
    assertEquals("Greeting.", r.reasoning());
    assertEquals("Hello there!", r.text());
  }

  @Test
  void llama_cpp_timings_are_kept_from_the_last_chunk() {
    StreamAccumulator acc = new StreamAccumulator(Dialect.SELF_HOSTED);
    ChatResponse r = assemble(run(acc, Transcripts.load("llamacpp-text.sse")));
    assertNotNull(acc.timings());
    assertEquals(52.9, acc.timings().predictedPerSecond);
    assertEquals("Say hi.", r.reasoning());
  }

  @Test
  void usage_falls_back_to_llama_cpp_timings_when_absent() {
    WireTimings t = new WireTimings();
    t.promptN = 9;
    t.cacheN = 236;
    t.predictedN = 3;
    assertEquals(Optional.of(new Usage(245, 3, 236, 0)), WireMapping.usage(null, t, Dialect.SELF_HOSTED));
    assertEquals(Optional.empty(), WireMapping.usage(null, null, Dialect.SELF_HOSTED), "no usage is no usage, not zeros");
  }

  @Test
  void sglang_top_level_reasoning_tokens_and_openai_details_are_both_read() throws IOException {
    WireUsage sglang = Json.read("{\"prompt_tokens\":5,\"completion_tokens\":9,\"reasoning_tokens\":4}", WireUsage.class);
    assertEquals(Optional.of(new Usage(5, 9, 0, 4)), WireMapping.usage(sglang, null, Dialect.SELF_HOSTED));
    WireUsage openai = Json.read("{\"prompt_tokens\":5,\"completion_tokens\":9,\"prompt_tokens_details\":"
        + "{\"cached_tokens\":2},\"completion_tokens_details\":{\"reasoning_tokens\":3}}", WireUsage.class);
    assertEquals(Optional.of(new Usage(5, 9, 2, 3)), WireMapping.usage(openai, null, Dialect.OPENAI));
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

package dev.banter.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Responses state machine on its own: item order, statuses, and the store's eviction order. */
class ResponseEventsTest {
  private static ResponseEvents events() {
    return new ResponseEvents("resp_1", 1_760_000_000L, "m", ResponseEvents.echo(new WireResponsesRequest(), false));
  }

  @Test
  void text_after_a_tool_call_opens_a_new_message_item_and_calls_close_at_the_end() {
    ResponseEvents e = events();
    List<ObjectNode> all = new ArrayList<>(e.start());
    all.addAll(e.chunk(ChatChunk.ofText("Let me look. ")));
    all.addAll(e.chunk(ChatChunk.ofToolCall(ToolCallDelta.start(0, "call_1", "f", "{}"))));
    all.addAll(e.chunk(ChatChunk.ofText("Done.")));
    ChatResponse r = ChatResponse.builder().message(Message.assistant("Let me look. Done.",
        List.of(new ToolCall("call_1", "f", "{}")))).finishReason(FinishReason.TOOL_CALLS).usage(Usage.of(1, 2)).build();
    all.addAll(e.finish(r));
    JsonNode out = e.finalResponse().orElseThrow().get("output");
    assertEquals(List.of("message", "function_call", "message"),
        List.of(out.get(0).get("type").asText(), out.get(1).get("type").asText(), out.get(2).get("type").asText()));
    assertEquals("Done.", out.at("/2/content/0/text").asText());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, all.get(i).get("sequence_number").asInt());
    }
    assertEquals("response.completed", all.get(all.size() - 1).get("type").asText());
    assertEquals(Message.assistant("Let me look. Done.", List.of(new ToolCall("call_1", "f", "{}"))),
        e.assistantMessage());
  }

  @Test
  void a_whole_answer_has_the_shape_of_a_streamed_one() {
    ChatResponse r = ChatResponse.builder().text("Hi!").reasoning("Greet.").usage(Usage.of(3, 4)).build();
    ResponseEvents streamed = events();
    streamed.start();
    streamed.chunk(ChatChunk.ofReasoning("Greet."));
    streamed.chunk(ChatChunk.ofText("Hi!"));
    streamed.finish(r);
    ObjectNode whole = events().whole(r);
    ObjectNode fromStream = streamed.finalResponse().orElseThrow();
    for (JsonNode item : List.of(whole.at("/output/0"), whole.at("/output/1"), fromStream.at("/output/0"),
        fromStream.at("/output/1"))) {
      ((ObjectNode) item).remove("id");
    }
    assertEquals(fromStream, whole);
  }

  @Test
  void statuses_follow_the_finish_reason() {
    assertEquals("completed", ResponseEvents.status(FinishReason.STOP));
    assertEquals("completed", ResponseEvents.status(FinishReason.TOOL_CALLS));
    assertEquals("incomplete", ResponseEvents.status(FinishReason.LENGTH));
    assertEquals("incomplete", ResponseEvents.status(FinishReason.CONTENT_FILTER));
    assertEquals("cancelled", ResponseEvents.status(FinishReason.CANCELLED));
    assertEquals("failed", ResponseEvents.status(FinishReason.ERROR));
    ObjectNode filtered = events().whole(ChatResponse.builder().text("")
        .finishReason(FinishReason.CONTENT_FILTER).build());
    assertEquals("content_filter", filtered.at("/incomplete_details/reason").asText());
    assertEquals("incomplete", filtered.at("/output/0/status").asText());
  }

  @Test
  void the_store_drops_the_least_recently_used_response_first() {
    ObjectNode small = Json.object().put("id", "x");
    long one = Json.write(small).length;
    ResponseStore store = new ResponseStore(3 * one + 1);
    store.put("a", small, List.of());
    store.put("b", small, List.of());
    store.put("c", small, List.of());
    assertTrue(store.get("a").isPresent(), "a is now the most recently used");
    store.put("d", small, List.of());
    assertFalse(store.get("b").isPresent(), "b, least recently used, made room");
    assertTrue(store.get("a").isPresent());
    assertEquals(3, store.size());
    store.put("huge", Json.object().put("text", "x".repeat(1000)), List.of());
    assertFalse(store.get("huge").isPresent(), "a response larger than the store is not kept");
    assertEquals(3, store.size(), "and evicts nothing");
  }
}

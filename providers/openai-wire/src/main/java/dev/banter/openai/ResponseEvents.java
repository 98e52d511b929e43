package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.TokenLogprob;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Responses API response being built from a generation: the output items (reasoning,
 * message, function calls) in the order the model produced them, and — for a stream — the
 * events that tell a client about each step, numbered by {@code sequence_number}. A whole
 * answer goes through the same steps ({@link #whole}), so streamed and whole responses have
 * the same shape. Not thread-safe: one generation, one thread (the response's event loop).
 *
 * <p>Log probabilities, when asked for, ride on the output text (its deltas, its done event, its
 * content part); those of reasoning and function-call tokens have no place in this API and are
 * left out.
 *
 * <p>Finish reasons map to statuses: STOP and TOOL_CALLS → {@code completed}; LENGTH →
 * {@code incomplete} ({@code max_output_tokens}); CONTENT_FILTER → {@code incomplete}
 * ({@code content_filter}); CANCELLED → {@code cancelled}; ERROR → {@code failed}.
 */
final class ResponseEvents {
  private final String id;
  private final long createdAt;
  private final String model;
  private final ObjectNode echo;
  private final List<Item> items = new ArrayList<>();
  /** Function call items by the index of the call in the assistant message. */
  private final Map<Integer, Item> calls = new LinkedHashMap<>();
  /** The reasoning or message item text is going to, or null. */
  private Item open;
  private long sequence;
  private ObjectNode finalResponse;

  /**
   * @param echo the request parameters a response repeats ({@code instructions}, {@code tools},
   *     {@code text}, ...), see {@link #echo(WireResponsesRequest, boolean)}
   */
  ResponseEvents(String id, long createdAt, String model, ObjectNode echo) {
    this.id = id;
    this.createdAt = createdAt;
    this.model = model;
    this.echo = echo;
  }

  /** A new id such as {@code resp_…} or {@code msg_…}. */
  static String newId(String prefix) {
    return prefix + WireMapping.newToolCallId().substring(5);
  }

  String id() {
    return id;
  }

  /** The request's parameters as a response echoes them, with OpenAI's defaults where unset. */
  static ObjectNode echo(WireResponsesRequest w, boolean stored) {
    ObjectNode e = Json.object();
    putText(e, "instructions", w.instructions);
    if (w.maxOutputTokens == null) e.putNull("max_output_tokens"); else e.put("max_output_tokens", w.maxOutputTokens);
    if (w.temperature == null) e.putNull("temperature"); else e.put("temperature", w.temperature);
    if (w.topP == null) e.putNull("top_p"); else e.put("top_p", w.topP);
    if (w.topLogprobs == null) e.putNull("top_logprobs"); else e.put("top_logprobs", w.topLogprobs);
    e.put("parallel_tool_calls", !Boolean.FALSE.equals(w.parallelToolCalls));
    putText(e, "previous_response_id", w.previousResponseId);
    ObjectNode reasoning = e.putObject("reasoning");
    reasoning.set("effort", w.reasoning == null ? Json.NODES.nullNode() : w.reasoning.path("effort").isMissingNode()
        ? Json.NODES.nullNode() : w.reasoning.get("effort"));
    reasoning.set("summary", w.reasoning == null || w.reasoning.path("summary").isMissingNode()
        ? Json.NODES.nullNode() : w.reasoning.get("summary"));
    e.put("store", stored);
    ObjectNode text = e.putObject("text");
    JsonNode format = w.text == null ? null : w.text.get("format");
    if (format != null && format.isObject()) {
      text.set("format", format.deepCopy());
    } else {
      text.putObject("format").put("type", "text");
    }
    if (w.toolChoice != null && !w.toolChoice.isNull()) {
      e.set("tool_choice", w.toolChoice.deepCopy());
    } else {
      e.put("tool_choice", "auto");
    }
    ArrayNode tools = e.putArray("tools");
    if (w.tools != null) {
      for (JsonNode t : w.tools) {
        JsonNode fn = t.path("function").isObject() ? t.get("function") : t;
        ObjectNode tool = tools.addObject();
        tool.put("type", "function");
        tool.put("name", fn.path("name").asText(""));
        putText(tool, "description", fn.path("description").isTextual() ? fn.get("description").asText() : null);
        tool.set("parameters", fn.path("parameters").isObject() ? fn.get("parameters").deepCopy()
            : Json.NODES.nullNode());
        tool.put("strict", fn.path("strict").asBoolean(false));
      }
    }
    e.put("truncation", "disabled");
    putText(e, "user", w.user);
    e.set("metadata", w.metadata != null && w.metadata.isObject() ? w.metadata.deepCopy() : Json.object());
    return e;
  }

  private static void putText(ObjectNode o, String field, String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  // ---------------------------------------------------------------- the steps

  /** {@code response.created} and {@code response.in_progress}. */
  List<ObjectNode> start() {
    List<ObjectNode> out = new ArrayList<>(2);
    out.add(event("response.created").set("response", response("in_progress", null, null, Optional.empty())));
    out.add(event("response.in_progress").set("response", response("in_progress", null, null, Optional.empty())));
    return out;
  }

  /** The events for one chunk: items opened as needed, then the deltas. */
  List<ObjectNode> chunk(ChatChunk c) {
    List<ObjectNode> out = new ArrayList<>(4);
    if (!c.reasoning().isEmpty()) {
      Item item = openText(Kind.REASONING, out);
      item.text.append(c.reasoning());
      out.add(partEvent("response.reasoning_text.delta", item).put("delta", c.reasoning()));
    }
    if (!c.text().isEmpty()) {
      Item item = openText(Kind.MESSAGE, out);
      item.text.append(c.text());
      item.logprobs.addAll(c.logprobs());
      ObjectNode delta = partEvent("response.output_text.delta", item).put("delta", c.text());
      delta.set("logprobs", WireLogprobs.entries(c.logprobs()));
      out.add(delta);
    }
    for (ToolCallDelta d : c.toolCalls()) {
      Item item = calls.get(d.index());
      if (item == null) {
        closeOpen(out, "completed");
        item = new Item(Kind.FUNCTION_CALL, newId("fc_"), items.size());
        item.callId = d.id().orElseGet(WireMapping::newToolCallId);
        item.name = d.name().orElse("");
        items.add(item);
        calls.put(d.index(), item);
        out.add(event("response.output_item.added").put("output_index", item.index)
            .set("item", item.json("in_progress")));
      } else if (d.name().isPresent() && item.name.isEmpty()) {
        item.name = d.name().get();
      }
      if (!d.argumentsFragment().isEmpty()) {
        item.text.append(d.argumentsFragment());
        out.add(event("response.function_call_arguments.delta").put("item_id", item.id)
            .put("output_index", item.index).put("delta", d.argumentsFragment()));
      }
    }
    return out;
  }

  /**
   * The closing events of a generation that ended with {@code r}: every item done, then
   * {@code response.completed}, {@code response.incomplete} or {@code response.failed}
   * carrying the whole response (also kept as {@link #finalResponse()}).
   */
  List<ObjectNode> finish(ChatResponse r) {
    List<ObjectNode> out = new ArrayList<>();
    if (items.isEmpty() && r.finishReason() != FinishReason.TOOL_CALLS) {
      openText(Kind.MESSAGE, out);
    }
    String status = status(r.finishReason());
    String itemStatus = status.equals("completed") ? "completed" : "incomplete";
    closeOpen(out, itemStatus);
    for (Item call : calls.values()) {
      if (!call.done) {
        if (call.name.isEmpty()) {
          call.name = r.message().toolCalls().stream().filter(t -> t.id().equals(call.callId)).map(ToolCall::name)
              .findFirst().orElse("unknown_function");
        }
        out.add(event("response.function_call_arguments.done").put("item_id", call.id).put("output_index", call.index)
            .put("name", call.name).put("arguments", call.text.toString()));
        call.done = true;
        call.status = itemStatus;
        out.add(event("response.output_item.done").put("output_index", call.index).set("item", call.json(itemStatus)));
      }
    }
    ObjectNode incomplete = null;
    ObjectNode error = null;
    switch (r.finishReason()) {
      case LENGTH -> incomplete = Json.object().put("reason", "max_output_tokens");
      case CONTENT_FILTER -> incomplete = Json.object().put("reason", "content_filter");
      case ERROR -> error = Json.object().put("code", "server_error")
          .put("message", "The generation failed after it had started; the output holds the partial answer.");
      default -> { }
    }
    finalResponse = response(status, incomplete, error, r.usage());
    String type = switch (status) {
      case "completed" -> "response.completed";
      case "failed" -> "response.failed";
      default -> "response.incomplete";
    };
    out.add(event(type).set("response", finalResponse));
    return out;
  }

  /**
   * After a failure mid-stream: the open text item closed as {@code incomplete}, an
   * {@code error} event, then {@code response.failed}.
   */
  List<ObjectNode> fail(ServerError e) {
    List<ObjectNode> out = new ArrayList<>();
    closeOpen(out, "incomplete");
    ObjectNode error = event("error");
    if (e.code == null) error.putNull("code"); else error.put("code", e.code);
    error.put("message", e.getMessage());
    if (e.param == null) error.putNull("param"); else error.put("param", e.param);
    out.add(error);
    for (Item call : calls.values()) {
      call.status = "incomplete";
    }
    ObjectNode err = Json.object().put("code", e.code == null ? "server_error" : e.code).put("message", e.getMessage());
    finalResponse = response("failed", null, err, Optional.empty());
    out.add(event("response.failed").set("response", finalResponse));
    return out;
  }

  /** The response of a whole (not streamed) answer. */
  ObjectNode whole(ChatResponse r) {
    if (!r.reasoning().isEmpty()) {
      chunk(ChatChunk.ofReasoning(r.reasoning()));
    }
    if (!r.text().isEmpty()) {
      chunk(ChatChunk.ofText(r.text()).withLogprobs(r.logprobs()));
    }
    List<ToolCall> toolCalls = r.message().toolCalls();
    for (int i = 0; i < toolCalls.size(); i++) {
      chunk(ChatChunk.ofToolCall(ToolCallDelta.of(i, toolCalls.get(i))));
    }
    finish(r);
    return finalResponse;
  }

  /** The response the last step ended with; present after {@link #finish} or {@link #fail}. */
  Optional<ObjectNode> finalResponse() {
    return Optional.ofNullable(finalResponse);
  }

  /** The assistant message the output amounts to (reasoning left out), for continuing the conversation. */
  Message assistantMessage() {
    StringBuilder text = new StringBuilder();
    List<ToolCall> out = new ArrayList<>();
    for (Item item : items) {
      if (item.kind == Kind.MESSAGE) {
        text.append(item.text);
      } else if (item.kind == Kind.FUNCTION_CALL) {
        out.add(new ToolCall(item.callId, item.name.isEmpty() ? "unknown_function" : item.name, item.text.toString()));
      }
    }
    return out.isEmpty() ? Message.assistant(text.toString()) : Message.assistant(text.toString(), out);
  }

  static String status(FinishReason reason) {
    return switch (reason) {
      case STOP, TOOL_CALLS -> "completed";
      case LENGTH, CONTENT_FILTER -> "incomplete";
      case CANCELLED -> "cancelled";
      case ERROR -> "failed";
    };
  }

  // ---------------------------------------------------------------- items

  private enum Kind { REASONING, MESSAGE, FUNCTION_CALL }

  private static final class Item {
    final Kind kind;
    final String id;
    final int index;
    final StringBuilder text = new StringBuilder();
    /** The output text's tokens, when log probabilities were asked for. */
    final List<TokenLogprob> logprobs = new ArrayList<>();
    String callId;
    String name;
    String status = "in_progress";
    boolean done;

    Item(Kind kind, String id, int index) {
      this.kind = kind;
      this.id = id;
      this.index = index;
    }

    ObjectNode part(boolean whole) {
      ObjectNode part = Json.object();
      if (kind == Kind.REASONING) {
        part.put("type", "reasoning_text").put("text", whole ? text.toString() : "");
      } else {
        part.put("type", "output_text").put("text", whole ? text.toString() : "");
        part.putArray("annotations");
        part.set("logprobs", whole ? WireLogprobs.entries(logprobs) : Json.NODES.arrayNode());
      }
      return part;
    }

    ObjectNode json(String status) {
      ObjectNode o = Json.object();
      switch (kind) {
        case REASONING -> {
          o.put("type", "reasoning").put("id", id);
          o.putArray("summary");
          ArrayNode content = o.putArray("content");
          if (!status.equals("in_progress")) {
            content.add(part(true));
          }
          o.put("status", status);
        }
        case MESSAGE -> {
          o.put("type", "message").put("id", id).put("status", status).put("role", "assistant");
          ArrayNode content = o.putArray("content");
          if (!status.equals("in_progress")) {
            content.add(part(true));
          }
        }
        case FUNCTION_CALL -> o.put("type", "function_call").put("id", id).put("call_id", callId)
            .put("name", name).put("arguments", status.equals("in_progress") ? "" : text.toString())
            .put("status", status);
      }
      return o;
    }
  }

  /** The open reasoning or message item of {@code kind}, closing another open one first. */
  private Item openText(Kind kind, List<ObjectNode> out) {
    if (open != null && open.kind == kind) {
      return open;
    }
    closeOpen(out, "completed");
    Item item = new Item(kind, newId(kind == Kind.MESSAGE ? "msg_" : "rs_"), items.size());
    items.add(item);
    open = item;
    out.add(event("response.output_item.added").put("output_index", item.index).set("item", item.json("in_progress")));
    out.add(partEvent("response.content_part.added", item).set("part", item.part(false)));
    return item;
  }

  private void closeOpen(List<ObjectNode> out, String status) {
    Item item = open;
    if (item == null) {
      return;
    }
    open = null;
    if (item.kind == Kind.MESSAGE) {
      ObjectNode done = partEvent("response.output_text.done", item).put("text", item.text.toString());
      done.set("logprobs", WireLogprobs.entries(item.logprobs));
      out.add(done);
    } else {
      out.add(partEvent("response.reasoning_text.done", item).put("text", item.text.toString()));
    }
    out.add(partEvent("response.content_part.done", item).set("part", item.part(true)));
    item.done = true;
    item.status = status;
    out.add(event("response.output_item.done").put("output_index", item.index).set("item", item.json(status)));
  }

  // ---------------------------------------------------------------- JSON

  private ObjectNode event(String type) {
    ObjectNode e = Json.object();
    e.put("type", type);
    e.put("sequence_number", sequence++);
    return e;
  }

  private ObjectNode partEvent(String type, Item item) {
    return event(type).put("item_id", item.id).put("output_index", item.index).put("content_index", 0);
  }

  private ObjectNode response(String status, ObjectNode incomplete, ObjectNode error, Optional<Usage> usage) {
    ObjectNode r = Json.object();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", createdAt);
    r.put("status", status);
    r.put("background", false);
    r.set("error", error == null ? Json.NODES.nullNode() : error);
    r.set("incomplete_details", incomplete == null ? Json.NODES.nullNode() : incomplete);
    r.put("model", model);
    ArrayNode output = r.putArray("output");
    if (!status.equals("in_progress")) {
      for (Item item : items) {
        output.add(item.json(item.done ? item.status : status.equals("completed") ? "completed" : "incomplete"));
      }
    }
    r.setAll(echo);
    if (usage.isPresent()) {
      r.set("usage", usage(usage.get()));
    } else {
      r.putNull("usage");
    }
    return r;
  }

  static ObjectNode usage(Usage u) {
    ObjectNode usage = Json.object();
    usage.put("input_tokens", u.promptTokens());
    // The api counts cache hits, not cache writes; newer clients require the field, so it is 0.
    usage.putObject("input_tokens_details").put("cached_tokens", u.cachedPromptTokens()).put("cache_write_tokens", 0);
    usage.put("output_tokens", u.completionTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    usage.put("total_tokens", u.totalTokens());
    return usage;
  }
}

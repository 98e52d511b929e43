package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ProtocolException;
import dev.banter.api.ResponseFormat;
import dev.banter.api.Role;
import dev.banter.api.Timings;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolSpec;
import dev.banter.api.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client half of the conversion between the api's types and the wire DTOs: a
 * {@link ChatRequest} going out, a non-streamed answer coming back, and the shared pieces
 * (usage, finish reasons, timings, tool-call ids) the stream accumulator uses too.
 */
final class WireMapping {
  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  private WireMapping() {}

  /**
   * The wire request for {@code request}, addressed to {@code model}.
   *
   * @throws InvalidRequestException when a tool's parameter schema or the response schema is
   *     not valid JSON
   */
  static WireRequest toWire(ChatRequest request, String model, Dialect dialect, boolean stream, String backendId) {
    WireRequest w = new WireRequest();
    w.model = model;
    w.messages = new ArrayList<>(request.messages().size());
    for (Message m : request.messages()) {
      w.messages.add(toWire(m));
    }
    GenerationOptions o = request.options();
    if (o.temperature().isPresent()) w.temperature = o.temperature().getAsDouble();
    if (o.topP().isPresent()) w.topP = o.topP().getAsDouble();
    if (dialect.sendsExtraSampling()) {
      if (o.topK().isPresent()) w.topK = o.topK().getAsInt();
      if (o.minP().isPresent()) w.minP = o.minP().getAsDouble();
      if (o.repetitionPenalty().isPresent()) {
        w.repetitionPenalty = o.repetitionPenalty().getAsDouble();
        w.repeatPenalty = w.repetitionPenalty;
      }
    }
    if (o.presencePenalty().isPresent()) w.presencePenalty = o.presencePenalty().getAsDouble();
    if (o.frequencyPenalty().isPresent()) w.frequencyPenalty = o.frequencyPenalty().getAsDouble();
    if (o.seed().isPresent()) w.seed = o.seed().getAsLong();
    if (dialect.sendsExtraSampling() && o.thinking().isPresent()) {
      w.chatTemplateKwargs = Json.object().put("enable_thinking", o.thinking().get());
    }
    if (o.logprobs()) {
      w.logprobs = true;
      if (o.topLogprobs().isPresent()) w.topLogprobs = o.topLogprobs().getAsInt();
    }
    if (o.maxTokens().isPresent()) {
      if (dialect.maxTokensField().equals("max_completion_tokens")) {
        w.maxCompletionTokens = o.maxTokens().getAsInt();
      } else {
        w.maxTokens = o.maxTokens().getAsInt();
      }
    }
    if (!o.stop().isEmpty()) {
      ArrayNode stop = Json.NODES.arrayNode();
      o.stop().forEach(stop::add);
      w.stop = stop;
    }
    if (!request.tools().isEmpty()) {
      w.tools = new ArrayList<>(request.tools().size());
      for (ToolSpec t : request.tools()) {
        WireTool wt = new WireTool();
        wt.type = "function";
        wt.function = new WireTool.Function();
        wt.function.name = t.name();
        wt.function.description = t.description().isEmpty() ? null : t.description();
        wt.function.parameters = parseSchema(t.parametersSchema(), "tools", "tool '" + t.name() + "'", backendId);
        w.tools.add(wt);
      }
    }
    request.toolChoice().ifPresent(c -> w.toolChoice = toWire(c));
    request.parallelToolCalls().ifPresent(p -> w.parallelToolCalls = p);
    w.responseFormat = toWire(request.responseFormat(), backendId);
    if (stream) {
      w.stream = true;
      w.streamOptions = new WireRequest.StreamOptions();
      w.streamOptions.includeUsage = true;
    }
    return w;
  }

  static WireMessage toWire(Message m) {
    WireMessage w = new WireMessage();
    w.role = m.role().wireName();
    boolean callsOnly = m.role() == Role.ASSISTANT && !m.toolCalls().isEmpty() && m.content().isEmpty();
    w.content = callsOnly ? null : TextNode.valueOf(m.content());
    w.name = m.name().orElse(null);
    w.toolCallId = m.toolCallId().orElse(null);
    if (!m.toolCalls().isEmpty()) {
      w.toolCalls = new ArrayList<>(m.toolCalls().size());
      for (ToolCall c : m.toolCalls()) {
        w.toolCalls.add(toWire(c, null));
      }
    }
    return w;
  }

  static WireToolCall toWire(ToolCall c, Integer index) {
    WireToolCall w = new WireToolCall();
    w.index = index;
    w.id = c.id();
    w.type = "function";
    w.function = new WireToolCall.Function();
    w.function.name = c.name();
    w.function.arguments = TextNode.valueOf(c.arguments());
    return w;
  }

  static JsonNode toWire(ToolChoice c) {
    return switch (c.mode()) {
      case NONE -> TextNode.valueOf("none");
      case REQUIRED -> TextNode.valueOf("required");
      case FUNCTION -> {
        ObjectNode o = Json.object();
        o.put("type", "function");
        o.putObject("function").put("name", c.function().orElse(""));
        yield o;
      }
      default -> TextNode.valueOf("auto");
    };
  }

  static JsonNode toWire(ResponseFormat f, String backendId) {
    return switch (f.type()) {
      case JSON_OBJECT -> Json.object().put("type", "json_object");
      case JSON_SCHEMA -> {
        ObjectNode o = Json.object();
        o.put("type", "json_schema");
        ObjectNode s = o.putObject("json_schema");
        s.put("name", f.name().orElse("schema"));
        s.set("schema", parseSchema(f.schema().orElse("{}"), "response_format", "the response format's schema", backendId));
        s.put("strict", f.strict());
        yield o;
      }
      case GRAMMAR -> throw new InvalidRequestException("An OpenAI-compatible server takes no GBNF grammar; use a "
          + "JSON schema response format, or the local backend for grammars.", backendId, "responseFormat", null);
      default -> null;
    };
  }

  private static JsonNode parseSchema(String schema, String param, String what, String backendId) {
    try {
      JsonNode node = Json.tree(schema);
      if (node == null || !node.isObject()) {
        throw new InvalidRequestException(what + " must be a JSON object, got: " + Json.excerpt(schema, 80), backendId,
            param, null);
      }
      return node;
    } catch (IOException e) {
      String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
          ? jpe.getOriginalMessage() : e.getMessage();
      throw new InvalidRequestException(what + " is not valid JSON (" + reason + "): "
          + Json.excerpt(schema, 80), backendId, param, e);
    }
  }

  /**
   * The answer in a non-streamed response.
   *
   * @throws ProtocolException when the response has no choice or no message
   */
  static ChatResponse fromWire(WireResponse w, Dialect dialect, String requestedModel, String backendId, Timings timings) {
    if (w.choices == null || w.choices.isEmpty() || w.choices.get(0).message == null) {
      throw new ProtocolException("Backend '" + backendId + "' answered without a choice holding a message;"
          + " the response cannot be read as a chat completion.", backendId, null);
    }
    WireResponse.Choice c = w.choices.get(0);
    WireMessage m = c.message;
    List<ToolCall> calls = new ArrayList<>();
    if (m.toolCalls != null) {
      for (WireToolCall t : m.toolCalls) {
        String id = t.id == null || t.id.isEmpty() ? newToolCallId() : t.id;
        String name = t.name().isEmpty() ? "unknown_function" : t.name();
        calls.add(new ToolCall(id, name, t.arguments()));
      }
    }
    FinishReason finish = finishReason(c.finishReason);
    if (finish == FinishReason.STOP && !calls.isEmpty()) {
      finish = FinishReason.TOOL_CALLS;
    }
    ChatResponse.Builder b = ChatResponse.builder()
        .message(Message.assistant(m.contentText(), calls))
        .reasoning(m.reasoningText())
        .finishReason(finish)
        .logprobs(WireLogprobs.read(c.logprobs))
        .timings(timings)
        .backendId(backendId);
    String model = w.model == null || w.model.isEmpty() ? requestedModel : w.model;
    if (!model.isEmpty()) {
      b.model(model);
    }
    usage(w.usage, w.timings, dialect).ifPresent(b::usage);
    return b.build();
  }

  /** Usage from the wire; from llama.cpp's timings when usage is missing; empty when neither. */
  static Optional<Usage> usage(WireUsage u, WireTimings t, Dialect dialect) {
    if (u == null) {
      if (t != null && (t.promptN != null || t.predictedN != null)) {
        int cached = WireUsage.nonNegative(t.cacheN);
        return Optional.of(new Usage(saturatedSum(WireUsage.nonNegative(t.promptN), cached),
            WireUsage.nonNegative(t.predictedN), cached, 0));
      }
      return Optional.empty();
    }
    int reasoning = u.reasoning();
    int completion = WireUsage.nonNegative(u.completionTokens);
    if (dialect.completionTokensExcludeReasoning()) {
      completion = saturatedSum(completion, reasoning);
    }
    return Optional.of(new Usage(WireUsage.nonNegative(u.promptTokens), completion, u.cached(), reasoning));
  }

  /** {@code a + b} for counts a server reported, capped at {@code Integer.MAX_VALUE} instead of wrapping. */
  private static int saturatedSum(int a, int b) {
    return (int) Math.min(Integer.MAX_VALUE, (long) a + b);
  }

  /**
   * Timings from what the client measured, with llama.cpp's prompt and generation rates when the
   * server reported them.
   */
  static Timings timings(Duration timeToFirstToken, Duration total, WireTimings t) {
    return new Timings(timeToFirstToken, total, rate(t == null ? null : t.promptPerSecond),
        rate(t == null ? null : t.predictedPerSecond));
  }

  private static OptionalDouble rate(Double r) {
    return r == null || !(r >= 0) || Double.isInfinite(r) ? OptionalDouble.empty() : OptionalDouble.of(r);
  }

  /**
   * The finish reason; compatible servers' own names are mapped ({@code eos_token},
   * {@code stop_sequence} → STOP, {@code abort}, {@code error} → ERROR); unknown names count as
   * STOP.
   */
  static FinishReason finishReason(String wire) {
    if (wire == null) {
      return FinishReason.STOP;
    }
    return switch (wire.toLowerCase(Locale.ROOT)) {
      case "length", "max_tokens" -> FinishReason.LENGTH;
      case "tool_calls", "function_call", "tool_use" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      case "abort", "error" -> FinishReason.ERROR;
      default -> FinishReason.STOP;
    };
  }

  /** The wire name of a finish reason, for the server half. */
  static String wireName(FinishReason r) {
    return switch (r) {
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      case ERROR -> "error";
      default -> "stop";
    };
  }

  /** A fresh id for a tool call the server sent without one ({@code call_} and 24 characters). */
  static String newToolCallId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] id = new char[24];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[r.nextInt(ID_CHARS.length)];
    }
    return "call_" + new String(id);
  }
}

package dev.banter.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.ModelInfo;
import dev.banter.api.TokenLogprob;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import java.util.List;
import java.util.Optional;

/** The JSON the server half writes: completions, chunks, usage and model lists. */
final class ServerResponses {
  private ServerResponses() {}

  static ObjectNode completion(ChatResponse r, String id, long created, String model) {
    ObjectNode root = Json.object();
    root.put("id", id);
    root.put("object", "chat.completion");
    root.put("created", created);
    root.put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    List<ToolCall> calls = r.message().toolCalls();
    if (r.text().isEmpty() && !calls.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", r.text());
    }
    if (!r.reasoning().isEmpty()) {
      message.put("reasoning_content", r.reasoning());
    }
    if (!calls.isEmpty()) {
      ArrayNode out = message.putArray("tool_calls");
      for (ToolCall c : calls) {
        ObjectNode call = out.addObject();
        call.put("id", c.id());
        call.put("type", "function");
        ObjectNode fn = call.putObject("function");
        fn.put("name", c.name());
        fn.put("arguments", c.arguments());
      }
    }
    logprobs(choice, r.logprobs());
    choice.put("finish_reason", WireMapping.wireName(r.finishReason()));
    r.usage().ifPresent(u -> root.set("usage", usage(u)));
    return root;
  }

  static ObjectNode chunk(String id, long created, String model) {
    ObjectNode root = Json.object();
    root.put("id", id);
    root.put("object", "chat.completion.chunk");
    root.put("created", created);
    root.put("model", model);
    return root;
  }

  static ObjectNode roleChunk(String id, long created, String model) {
    ObjectNode root = chunk(id, created, model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta").put("role", "assistant").put("content", "");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return root;
  }

  static ObjectNode deltaChunk(String id, long created, String model, ChatChunk c) {
    ObjectNode root = chunk(id, created, model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (!c.text().isEmpty()) {
      delta.put("content", c.text());
    }
    if (!c.reasoning().isEmpty()) {
      delta.put("reasoning_content", c.reasoning());
    }
    if (!c.toolCalls().isEmpty()) {
      ArrayNode calls = delta.putArray("tool_calls");
      for (ToolCallDelta d : c.toolCalls()) {
        ObjectNode call = calls.addObject();
        call.put("index", d.index());
        d.id().ifPresent(callId -> call.put("id", callId).put("type", "function"));
        ObjectNode fn = call.putObject("function");
        d.name().ifPresent(name -> fn.put("name", name));
        fn.put("arguments", d.argumentsFragment());
      }
    }
    logprobs(choice, c.logprobs());
    choice.putNull("finish_reason");
    return root;
  }

  private static void logprobs(ObjectNode choice, List<TokenLogprob> entries) {
    if (entries.isEmpty()) {
      choice.putNull("logprobs");
    } else {
      choice.set("logprobs", WireLogprobs.write(entries));
    }
  }

  static ObjectNode finishChunk(String id, long created, String model, FinishReason reason) {
    ObjectNode root = chunk(id, created, model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.put("finish_reason", WireMapping.wireName(reason));
    return root;
  }

  /** The last chunk of a stream that asked for usage; its {@code usage} is null when the backend reported none. */
  static ObjectNode usageChunk(String id, long created, String model, Optional<Usage> u) {
    ObjectNode root = chunk(id, created, model);
    root.putArray("choices");
    if (u.isPresent()) {
      root.set("usage", usage(u.get()));
    } else {
      root.putNull("usage");
    }
    return root;
  }

  static ObjectNode usage(Usage u) {
    ObjectNode usage = Json.object();
    usage.put("prompt_tokens", u.promptTokens());
    usage.put("completion_tokens", u.completionTokens());
    usage.put("total_tokens", u.totalTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedPromptTokens());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    return usage;
  }

  static ObjectNode models(List<ModelInfo> models, String defaultOwner) {
    ObjectNode root = Json.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (ModelInfo m : models) {
      card(data.addObject(), m, defaultOwner);
    }
    return root;
  }

  /** One model's card, as {@code GET /v1/models/{id}} answers it. */
  static ObjectNode model(ModelInfo m, String defaultOwner) {
    return card(Json.object(), m, defaultOwner);
  }

  private static ObjectNode card(ObjectNode card, ModelInfo m, String defaultOwner) {
    card.put("id", m.id());
    card.put("object", "model");
    card.put("created", 0);
    card.put("owned_by", m.ownedBy().orElse(defaultOwner));
    if (m.contextLength().isPresent()) {
      card.put("max_model_len", m.contextLength().getAsInt());
    }
    return card;
  }
}

package dev.banter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banter.api.ChatRequest;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.ResponseFormat;
import dev.banter.api.Role;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The server half's reading of a request body: wire request → {@link ChatRequest}, with a 400
 * naming the parameter for anything the api cannot express or does not accept.
 */
final class ServerRequestMapper {
  private static final String EMPTY_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

  private ServerRequestMapper() {}

  static ChatRequest toChatRequest(WireRequest w) {
    if (w.messages == null || w.messages.isEmpty()) {
      throw ServerError.invalid("'messages' must be a non-empty array.", "messages");
    }
    if (w.n != null && w.n != 1) {
      throw ServerError.invalid("Only n=1 is supported, got " + w.n + ".", "n");
    }
    ChatRequest.Builder b = ChatRequest.builder();
    for (int i = 0; i < w.messages.size(); i++) {
      b.message(message(w.messages.get(i), i));
    }
    b.options(options(w));
    if (w.model != null && !w.model.isEmpty()) {
      b.model(w.model);
    }
    if (w.persona != null && !w.persona.isEmpty()) {
      b.persona(w.persona);
    }
    if (w.tools != null && !w.tools.isEmpty()) {
      List<ToolSpec> tools = new ArrayList<>();
      for (WireTool t : w.tools) {
        tools.add(tool(t));
      }
      b.tools(tools);
    }
    if (w.toolChoice != null && !w.toolChoice.isNull()) {
      b.toolChoice(toolChoice(w.toolChoice));
    }
    if (w.parallelToolCalls != null) {
      b.parallelToolCalls(w.parallelToolCalls);
    }
    if (w.responseFormat != null && !w.responseFormat.isNull()) {
      b.responseFormat(responseFormat(w.responseFormat));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw ServerError.invalid(e.getMessage(), e.getMessage().contains("toolChoice") ? "tool_choice" : null);
    }
  }

  private static Message message(WireMessage m, int i) {
    String param = "messages[" + i + "]";
    if (m == null || m.role == null) {
      throw ServerError.invalid(param + " needs a 'role'.", param + ".role");
    }
    Role role;
    if (m.role.equals("developer")) {
      role = Role.SYSTEM;
    } else {
      try {
        role = Role.parse(m.role);
      } catch (IllegalArgumentException e) {
        throw ServerError.invalid(param + ": unsupported role '" + m.role + "'; use system, developer, user, assistant"
            + " or tool.", param + ".role");
      }
    }
    if (m.content != null && m.content.isArray()) {
      for (JsonNode part : m.content) {
        String type = part.path("type").asText("text");
        if (!part.isTextual() && !type.equals("text")) {
          throw ServerError.invalid(param + ": content part type '" + type + "' is not supported; send text.",
              param + ".content");
        }
      }
    }
    String content = m.contentText();
    Message out;
    try {
      if (role == Role.TOOL) {
        if (m.toolCallId == null || m.toolCallId.isEmpty()) {
          throw ServerError.invalid(param + ": a tool message needs 'tool_call_id'.", param + ".tool_call_id");
        }
        out = Message.tool(m.toolCallId, content);
      } else if (role == Role.ASSISTANT && m.toolCalls != null && !m.toolCalls.isEmpty()) {
        List<ToolCall> calls = new ArrayList<>();
        for (int j = 0; j < m.toolCalls.size(); j++) {
          WireToolCall c = m.toolCalls.get(j);
          if (c == null) {
            throw ServerError.invalid(param + ".tool_calls[" + j + "] must be a tool call object, got null.",
                param + ".tool_calls");
          }
          calls.add(new ToolCall(c.id == null ? "" : c.id, c.name(), c.arguments()));
        }
        out = Message.assistant(content, calls);
      } else {
        out = Message.of(role, content);
      }
    } catch (IllegalArgumentException e) {
      throw ServerError.invalid(param + ": " + e.getMessage(), param);
    }
    return m.name == null || m.name.isEmpty() ? out : out.withName(m.name);
  }

  private static GenerationOptions options(WireRequest w) {
    GenerationOptions.Builder o = GenerationOptions.builder();
    String param = null;
    try {
      param = "temperature";
      if (w.temperature != null) o.temperature(w.temperature);
      param = "top_p";
      if (w.topP != null) o.topP(w.topP);
      param = "top_k";
      if (w.topK != null && w.topK >= 0) o.topK(w.topK);
      param = "min_p";
      if (w.minP != null) o.minP(w.minP);
      param = "max_completion_tokens";
      if (w.maxCompletionTokens != null) {
        o.maxTokens(w.maxCompletionTokens);
      } else if (w.maxTokens != null) {
        param = "max_tokens";
        o.maxTokens(w.maxTokens);
      }
      param = "seed";
      if (w.seed != null) o.seed(w.seed);
      param = "top_logprobs";
      if (w.topLogprobs != null) {
        if (!Boolean.TRUE.equals(w.logprobs)) {
          throw new IllegalArgumentException("'top_logprobs' needs 'logprobs': true");
        }
        o.topLogprobs(w.topLogprobs);
      }
      param = "logprobs";
      if (w.logprobs != null) o.logprobs(w.logprobs);
      param = "reasoning_effort";
      if (w.reasoningEffort != null) {
        o.thinking(!w.reasoningEffort.equals("none"));
      }
      param = "chat_template_kwargs";
      if (w.chatTemplateKwargs != null && !w.chatTemplateKwargs.isNull()) {
        if (!w.chatTemplateKwargs.isObject()) {
          throw new IllegalArgumentException("'chat_template_kwargs' must be an object");
        }
        JsonNode thinking = w.chatTemplateKwargs.get("enable_thinking");
        if (thinking != null && !thinking.isNull()) {
          if (!thinking.isBoolean()) {
            throw new IllegalArgumentException("'chat_template_kwargs.enable_thinking' must be true or false");
          }
          o.thinking(thinking.booleanValue());
        }
      }
      param = "repetition_penalty";
      if (w.repetitionPenalty != null) {
        o.repetitionPenalty(w.repetitionPenalty);
      } else if (w.repeatPenalty != null) {
        param = "repeat_penalty";
        o.repetitionPenalty(w.repeatPenalty);
      }
      param = "presence_penalty";
      if (w.presencePenalty != null) o.presencePenalty(w.presencePenalty);
      param = "frequency_penalty";
      if (w.frequencyPenalty != null) o.frequencyPenalty(w.frequencyPenalty);
      param = "stop";
      if (w.stop != null && !w.stop.isNull()) {
        List<String> stop = new ArrayList<>();
        if (w.stop.isTextual()) {
          stop.add(w.stop.textValue());
        } else if (w.stop.isArray()) {
          for (JsonNode s : w.stop) {
            stop.add(s.asText());
          }
        } else {
          throw new IllegalArgumentException("'stop' must be a string or an array of strings");
        }
        o.stop(stop);
      }
    } catch (IllegalArgumentException e) {
      throw ServerError.invalid(e.getMessage(), param);
    }
    return o.build();
  }

  private static ToolSpec tool(WireTool t) {
    if (t == null || t.function == null || t.function.name == null) {
      throw ServerError.invalid("Each tool needs a function with a name.", "tools");
    }
    if (t.type != null && !t.type.equals("function")) {
      throw ServerError.invalid("Tool type '" + t.type + "' is not supported; use function tools.", "tools");
    }
    String params = t.function.parameters == null || t.function.parameters.isNull() ? EMPTY_PARAMETERS
        : t.function.parameters.toString();
    try {
      return ToolSpec.of(t.function.name, t.function.description == null ? "" : t.function.description, params);
    } catch (IllegalArgumentException e) {
      throw ServerError.invalid(e.getMessage(), "tools");
    }
  }

  private static ToolChoice toolChoice(JsonNode c) {
    if (c.isTextual()) {
      return switch (c.textValue()) {
        case "auto" -> ToolChoice.auto();
        case "none" -> ToolChoice.none();
        case "required" -> ToolChoice.required();
        default -> throw ServerError.invalid("tool_choice must be none, auto, required or a function, got '"
            + c.textValue() + "'.", "tool_choice");
      };
    }
    String name = c.path("function").path("name").asText("");
    if (name.isEmpty()) {
      throw ServerError.invalid("tool_choice object needs function.name.", "tool_choice");
    }
    return ToolChoice.function(name);
  }

  private static ResponseFormat responseFormat(JsonNode f) {
    return responseFormat(f.path("type").asText("text"), f.path("json_schema"), "response_format");
  }

  /**
   * A response format of {@code type}; for {@code json_schema}, {@code holder} has the name,
   * schema and strict flag (chat completions nest them in {@code json_schema}, the Responses API
   * puts them beside the type). Errors name {@code param}.
   */
  static ResponseFormat responseFormat(String type, JsonNode holder, String param) {
    return switch (type) {
      case "text" -> ResponseFormat.text();
      case "json_object" -> ResponseFormat.jsonObject();
      case "json_schema" -> {
        JsonNode schema = holder.path("schema");
        if (!schema.isObject()) {
          throw ServerError.invalid(param + ": the JSON Schema must be an object.", param);
        }
        try {
          yield ResponseFormat.jsonSchema(holder.path("name").asText("schema"), schema.toString(),
              holder.path("strict").asBoolean(false));
        } catch (IllegalArgumentException e) {
          throw ServerError.invalid(param + ": " + e.getMessage(), param);
        }
      }
      default -> throw ServerError.invalid(param + " type '" + Json.excerpt(type, 60) + "' is not supported; use text,"
          + " json_object or json_schema.", param);
    };
  }

}

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
 * The server half's reading of a {@code POST /v1/responses} body: Responses items → the
 * {@link ChatRequest} a chat completion would make, with a 400 naming the parameter in wire form
 * ({@code input[2].call_id}, {@code text.format}) for anything the api cannot express.
 *
 * <p>{@code instructions} become a leading system message; message items keep their role
 * ({@code developer} is {@code system}); consecutive {@code function_call} items join the
 * assistant message before them as its tool calls; a {@code function_call_output} is a tool
 * message answering {@code call_id}. Reasoning items of earlier turns are dropped: the api's
 * messages have no place for them.
 */
final class ResponsesRequestMapper {
  private static final String EMPTY_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

  private ResponsesRequestMapper() {}

  /**
   * A request read: what the model is asked, and the conversation so far without the
   * instructions (what a later {@code previous_response_id} continues from, since instructions
   * are not carried over).
   */
  record Mapped(ChatRequest request, List<Message> conversation) {}

  /** Reads {@code w}, continuing {@code history} (the messages of a previous response; may be empty). */
  static Mapped toChatRequest(WireResponsesRequest w, List<Message> history) {
    if (Boolean.TRUE.equals(w.background)) {
      throw ServerError.invalid("background responses are not supported by this server; send the request"
          + " without 'background' (stream it to follow its progress).", "background");
    }
    if (w.conversation != null && !w.conversation.isNull()) {
      throw ServerError.invalid("This server keeps no conversations; continue a conversation with"
          + " 'previous_response_id' or send the earlier items in 'input'.", "conversation");
    }
    List<Message> conversation = new ArrayList<>(history);
    conversation.addAll(input(w.input));
    ChatRequest.Builder b = ChatRequest.builder();
    if (w.instructions != null && !w.instructions.isEmpty()) {
      b.message(Message.system(w.instructions));
    }
    for (Message m : conversation) {
      b.message(m);
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
      for (int i = 0; i < w.tools.size(); i++) {
        tools.add(tool(w.tools.get(i), "tools[" + i + "]"));
      }
      b.tools(tools);
    }
    if (w.toolChoice != null && !w.toolChoice.isNull()) {
      b.toolChoice(toolChoice(w.toolChoice));
    }
    if (w.parallelToolCalls != null) {
      b.parallelToolCalls(w.parallelToolCalls);
    }
    if (w.text != null && !w.text.isNull()) {
      JsonNode format = w.text.path("format");
      if (!format.isMissingNode() && !format.isNull()) {
        b.responseFormat(format(format));
      }
    }
    try {
      return new Mapped(b.build(), List.copyOf(conversation));
    } catch (IllegalArgumentException e) {
      throw ServerError.invalid(e.getMessage(), e.getMessage().contains("toolChoice") ? "tool_choice" : "input");
    }
  }

  // ---------------------------------------------------------------- input items

  private static List<Message> input(JsonNode input) {
    List<Message> out = new ArrayList<>();
    if (input == null || input.isNull() || input.isMissingNode()) {
      throw ServerError.invalid("'input' is required: a string or an array of input items.", "input");
    }
    if (input.isTextual()) {
      out.add(Message.user(input.textValue()));
      return out;
    }
    if (!input.isArray() || input.isEmpty()) {
      throw ServerError.invalid("'input' must be a string or a non-empty array of input items.", "input");
    }
    // Function calls gather into one assistant message: the one just before them, if any.
    String pendingText = null;
    List<ToolCall> pendingCalls = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String param = "input[" + i + "]";
      if (!item.isObject()) {
        throw ServerError.invalid(param + " must be an input item object.", param);
      }
      String type = item.path("type").asText(item.has("role") ? "message" : "");
      switch (type) {
        case "message" -> {
          Role role = role(item, param);
          String text = content(item.get("content"), param + ".content");
          flush(out, pendingText, pendingCalls);
          pendingCalls = new ArrayList<>();
          pendingText = null;
          if (role == Role.ASSISTANT) {
            pendingText = text;
          } else {
            out.add(Message.of(role, text));
          }
        }
        case "function_call" -> {
          String callId = required(item, "call_id", param);
          String name = required(item, "name", param);
          JsonNode args = item.path("arguments");
          String arguments = args.isTextual() ? args.textValue() : args.isMissingNode() || args.isNull() ? "{}"
              : args.toString();
          pendingCalls.add(new ToolCall(callId, name, arguments));
          if (pendingText == null) {
            pendingText = "";
          }
        }
        case "function_call_output" -> {
          String callId = required(item, "call_id", param);
          String output = content(item.get("output"), param + ".output");
          flush(out, pendingText, pendingCalls);
          pendingCalls = new ArrayList<>();
          pendingText = null;
          out.add(Message.tool(callId, output));
        }
        case "reasoning" -> {
          // Earlier turns' reasoning has no place in the api's messages; models do not need it back.
        }
        case "item_reference" -> throw ServerError.invalid(param + ": item references are not supported;"
            + " send the items themselves, or continue with 'previous_response_id'.", param + ".type");
        default -> throw ServerError.invalid(param + ": input item type '" + Json.excerpt(type, 60)
            + "' is not supported; use message, function_call, function_call_output or reasoning.", param + ".type");
      }
    }
    flush(out, pendingText, pendingCalls);
    return out;
  }

  private static void flush(List<Message> out, String text, List<ToolCall> calls) {
    if (text == null) {
      return;
    }
    out.add(calls.isEmpty() ? Message.assistant(text) : Message.assistant(text, calls));
  }

  private static Role role(JsonNode item, String param) {
    String role = item.path("role").asText("");
    return switch (role) {
      case "user" -> Role.USER;
      case "assistant" -> Role.ASSISTANT;
      case "system", "developer" -> Role.SYSTEM;
      default -> throw ServerError.invalid(param + ": unsupported role '" + Json.excerpt(role, 40)
          + "'; use user, assistant, system or developer.", param + ".role");
    };
  }

  private static String required(JsonNode item, String field, String param) {
    JsonNode v = item.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw ServerError.invalid(param + " needs a non-empty string '" + field + "'.", param + "." + field);
    }
    return v.textValue();
  }

  /** A message's content or a call's output: a string, or an array of text parts joined. */
  private static String content(JsonNode content, String param) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (!content.isArray()) {
      throw ServerError.invalid(param + " must be a string or an array of content parts.", param);
    }
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = part.path("type").asText("");
      switch (type) {
        case "input_text", "output_text", "text" -> sb.append(part.path("text").asText(""));
        case "refusal" -> sb.append(part.path("refusal").asText(""));
        default -> throw ServerError.invalid(param + "[" + j + "]: content part type '" + Json.excerpt(type, 60)
            + "' is not supported; send input_text.", param + "[" + j + "].type");
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- options, tools, format

  /** The {@code include} entry that asks for the output text's log probabilities. */
  static final String LOGPROBS = "message.output_text.logprobs";

  private static GenerationOptions options(WireResponsesRequest w) {
    GenerationOptions.Builder o = GenerationOptions.builder();
    String param = null;
    try {
      param = "temperature";
      if (w.temperature != null) o.temperature(w.temperature);
      param = "top_p";
      if (w.topP != null) o.topP(w.topP);
      param = "max_output_tokens";
      if (w.maxOutputTokens != null) o.maxTokens(w.maxOutputTokens);
      param = "top_logprobs";
      boolean logprobs = w.include != null && w.include.contains(LOGPROBS);
      if (w.topLogprobs != null) {
        o.topLogprobs(w.topLogprobs);
        logprobs |= w.topLogprobs > 0;
      }
      if (logprobs) {
        o.logprobs(true);
      }
      // As reasoning_effort on chat completions: "none" turns a thinking model's thinking off.
      JsonNode effort = w.reasoning == null ? null : w.reasoning.get("effort");
      if (effort != null && !effort.isNull()) {
        if (!effort.isTextual()) {
          throw ServerError.invalid("'reasoning.effort' must be a string such as none, low, medium or high.",
              "reasoning.effort");
        }
        o.thinking(!effort.textValue().equals("none"));
      }
    } catch (IllegalArgumentException e) {
      throw ServerError.invalid(e.getMessage(), param);
    }
    return o.build();
  }

  /** A function tool in the flat Responses form, or (leniently) in the nested chat completions form. */
  private static ToolSpec tool(JsonNode t, String param) {
    if (t == null || !t.isObject()) {
      throw ServerError.invalid(param + " must be a tool object.", param);
    }
    String type = t.path("type").asText("function");
    if (!type.equals("function")) {
      throw ServerError.invalid(param + ": tool type '" + Json.excerpt(type, 60) + "' is not supported by this"
          + " server; use function tools.", param + ".type");
    }
    JsonNode fn = t.path("function").isObject() ? t.get("function") : t;
    String name = fn.path("name").asText("");
    if (name.isEmpty()) {
      throw ServerError.invalid(param + " needs a 'name'.", param + ".name");
    }
    JsonNode parameters = fn.path("parameters");
    String schema = parameters.isMissingNode() || parameters.isNull() ? EMPTY_PARAMETERS : parameters.toString();
    if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
      throw ServerError.invalid(param + ".parameters must be a JSON Schema object.", param + ".parameters");
    }
    try {
      return ToolSpec.of(name, fn.path("description").asText(""), schema);
    } catch (IllegalArgumentException e) {
      throw ServerError.invalid(param + ": " + e.getMessage(), param);
    }
  }

  private static ToolChoice toolChoice(JsonNode c) {
    if (c.isTextual()) {
      return switch (c.textValue()) {
        case "auto" -> ToolChoice.auto();
        case "none" -> ToolChoice.none();
        case "required" -> ToolChoice.required();
        default -> throw ServerError.invalid("tool_choice must be none, auto, required or"
            + " {\"type\":\"function\",\"name\":...}, got '" + Json.excerpt(c.textValue(), 60) + "'.", "tool_choice");
      };
    }
    String type = c.path("type").asText("");
    if (!type.equals("function")) {
      throw ServerError.invalid("tool_choice type '" + Json.excerpt(type, 60) + "' is not supported; use none, auto,"
          + " required or {\"type\":\"function\",\"name\":...}.", "tool_choice");
    }
    String name = c.path("name").asText(c.path("function").path("name").asText(""));
    if (name.isEmpty()) {
      throw ServerError.invalid("tool_choice of type function needs a 'name'.", "tool_choice");
    }
    return ToolChoice.function(name);
  }

  private static ResponseFormat format(JsonNode f) {
    if (!f.isObject()) {
      throw ServerError.invalid("text.format must be an object with a 'type'.", "text.format");
    }
    return ServerRequestMapper.responseFormat(f.path("type").asText("text"), f, "text.format");
  }
}

package dev.banter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ToolCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A saved conversation: the persona and the messages, in the OpenAI chat message shape so other
 * tools read it too.
 *
 * <pre>
 * {"persona": "witty",
 *  "messages": [
 *    {"role": "user", "content": "What's the weather in Oslo?"},
 *    {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "type": "function",
 *        "function": {"name": "weather", "arguments": "{\"city\":\"Oslo\"}"}}]},
 *    {"role": "tool", "tool_call_id": "call_1", "content": "-3 °C, snow"},
 *    {"role": "assistant", "content": "Snow. Bring a hat."}]}
 * </pre>
 *
 * A bare array of messages is read as well.
 */
final class Transcript {
  private static final long MAX_BYTES = 16L << 20;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  final String persona;
  final List<Message> messages;

  Transcript(String persona, List<Message> messages) {
    this.persona = persona;
    this.messages = List.copyOf(messages);
  }

  Optional<String> persona() {
    return Optional.ofNullable(persona);
  }

  /** Writes the transcript to {@code file}, replacing it. */
  void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    if (persona != null) {
      root.put("persona", persona);
    }
    ArrayNode list = root.putArray("messages");
    for (Message m : messages) {
      ObjectNode o = list.addObject();
      o.put("role", m.role().wireName());
      m.name().ifPresent(n -> o.put("name", n));
      o.put("content", m.content());
      m.toolCallId().ifPresent(id -> o.put("tool_call_id", id));
      if (!m.toolCalls().isEmpty()) {
        ArrayNode calls = o.putArray("tool_calls");
        for (ToolCall c : m.toolCalls()) {
          ObjectNode call = calls.addObject();
          call.put("id", c.id());
          call.put("type", "function");
          call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, JSON.writeValueAsBytes(root));
  }

  /**
   * Reads a transcript.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the message and field that are wrong
   */
  static Transcript read(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IllegalArgumentException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB; not a transcript.");
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
    }
    String persona = null;
    JsonNode list = root;
    if (root != null && root.isObject()) {
      JsonNode p = root.path("persona");
      persona = p.isTextual() ? p.textValue() : null;
      list = root.path("messages");
    }
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(file + " holds no 'messages' array.");
    }
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(message(list.get(i), "messages[" + i + "]"));
    }
    return new Transcript(persona, out);
  }

  private static Message message(JsonNode m, String where) {
    if (!m.isObject()) {
      throw new IllegalArgumentException(where + " is not an object.");
    }
    Role role;
    try {
      role = Role.parse(text(m, "role", where, true));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ".role: " + e.getMessage());
    }
    String content = m.path("content").isNull() ? "" : text(m, "content", where, false);
    Message out;
    if (role == Role.TOOL) {
      out = Message.tool(text(m, "tool_call_id", where, true), content);
    } else if (m.has("tool_calls") && role == Role.ASSISTANT) {
      JsonNode calls = m.get("tool_calls");
      if (!calls.isArray()) {
        throw new IllegalArgumentException(where + ".tool_calls is not an array.");
      }
      List<ToolCall> list = new ArrayList<>();
      for (int j = 0; j < calls.size(); j++) {
        String at = where + ".tool_calls[" + j + "]";
        JsonNode c = calls.get(j);
        JsonNode f = c.path("function");
        try {
          list.add(new ToolCall(text(c, "id", at, true), text(f, "name", at + ".function", true),
              text(f, "arguments", at + ".function", false)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
      }
      out = Message.assistant(content, list);
    } else {
      out = Message.of(role, content);
    }
    JsonNode name = m.path("name");
    return name.isTextual() && !name.textValue().isEmpty() ? out.withName(name.textValue()) : out;
  }

  private static String text(JsonNode node, String field, String where, boolean required) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + " needs '" + field + "'.");
      }
      return "";
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + "." + field + " must be a string.");
    }
    return v.textValue();
  }
}

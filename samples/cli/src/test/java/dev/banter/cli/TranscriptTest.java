package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.Message;
import dev.banter.api.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTest {
  @TempDir
  Path dir;

  @Test
  void messages_with_tool_calls_and_names_survive_a_round_trip() throws Exception {
    List<Message> messages = List.of(
        Message.user("What's the weather in Oslo?").withName("ada"),
        Message.assistant("", List.of(new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}"))),
        Message.tool("call_1", "-3 °C, snow"),
        Message.assistant("Snow. Bring a hat."));
    Path file = dir.resolve("sub/talk.json");
    new Transcript("witty", messages).write(file);
    Transcript back = Transcript.read(file);
    assertEquals(messages, back.messages);
    assertEquals("witty", back.persona().orElseThrow());
    String json = Files.readString(file);
    assertTrue(json.contains("\"tool_calls\""), json);
    assertTrue(json.contains("\"type\" : \"function\""), json);
  }

  @Test
  void a_bare_array_of_openai_messages_is_read_too() throws Exception {
    Path file = dir.resolve("bare.json");
    Files.writeString(file, "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]");
    Transcript t = Transcript.read(file);
    assertEquals(3, t.messages.size());
    assertEquals("", t.messages.get(2).content());
    assertEquals("f", t.messages.get(2).toolCalls().get(0).name());
    assertTrue(t.persona().isEmpty());
  }

  @Test
  void wrong_shapes_are_refused_naming_the_message_and_field() throws Exception {
    assertRefused("{\"messages\": 3}", "no 'messages' array");
    assertRefused("{\"messages\": [{\"content\": \"hi\"}]}", "messages[0] needs 'role'");
    assertRefused("{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}", "messages[0] needs 'tool_call_id'");
    assertRefused("{\"messages\": [{\"role\": \"user\", \"content\": 5}]}", "messages[0].content must be a string");
    assertRefused("{\"messages\": [{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c\", \"function\": {}}]}]}",
        "messages[0].tool_calls[0]");
    assertRefused("{\"messages\": [", "not valid JSON");
  }

  private void assertRefused(String json, String expected) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, json);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transcript.read(file));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}

package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ToolCall;
import dev.banter.core.Banter;
import dev.banter.core.Resilience;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the chat command sends: persona, options, history, and the window cut to the context. */
class ChatSessionTest {
  @TempDir
  Path home;

  private ScriptedServer far;

  @BeforeEach
  void start() {
    far = new ScriptedServer();
  }

  @AfterEach
  void stop() {
    far.close();
  }

  private ChatRequest lastRequest() {
    return far.model.requests.get(far.model.requests.size() - 1);
  }

  @Test
  void chat_sends_the_persona_the_system_text_and_the_sampling_options() {
    TestIo t = new TestIo(home);
    String[] args = concat(far.backendArgs(), "--persona", "regular", "--system", "Answer in French.",
        "--temperature", "0.3", "--seed", "11", "--max-tokens", "50", "--top-p", "0.5", "--prompt", "Hi");
    assertEquals(0, t.run(concat(new String[] {"chat"}, args)));
    assertEquals("Hello there!", t.out.text().trim());
    ChatRequest r = lastRequest();
    Message system = r.messages().get(0);
    assertEquals(Role.SYSTEM, system.role());
    assertTrue(system.content().contains("Answer in French."), system.content());
    assertEquals(Message.user("Hi"), r.messages().get(r.messages().size() - 1));
    GenerationOptions o = r.options();
    assertEquals(0.3, o.temperature().getAsDouble());
    assertEquals(0.5, o.topP().getAsDouble());
    assertEquals(11, o.seed().getAsLong());
    assertEquals(50, o.maxTokens().getAsInt());
  }

  @Test
  void the_oldest_exchanges_give_way_when_the_context_fills_and_the_system_prompt_stays() {
    try (ChatModel model = Banter.builder().backend("inference-server").set("base-url", far.baseUrl())
        .set("health-interval", "0s").set("context-length", "96").persona("witty").resilience(Resilience.none())
        .build()) {
      ChatSession session = new ChatSession(model, GenerationOptions.builder().maxTokens(16).build(), null);
      List<String> said = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String text = "Message number " + i + " talks about the weather, the sea and the mountains again.";
        said.add(text);
        assertEquals("Hello there!", session.turn(text, chunk -> { }).text());
      }
      List<Message> sent = lastRequest().messages();
      assertEquals(Role.SYSTEM, sent.get(0).role());
      assertTrue(sent.get(0).content().contains("Banter"), sent.get(0).content());
      assertEquals(said.get(7), sent.get(sent.size() - 1).content());
      assertFalse(sent.stream().anyMatch(m -> m.content().equals(said.get(0))), "the first message was dropped");
      assertEquals(Role.USER, sent.get(1).role(), "the window starts with a whole exchange");
      List<Message> history = session.history();
      assertEquals(sent.size() - 1 + 1, history.size(), "the history is the window plus the answer");
    }
  }

  @Test
  void a_tool_call_and_its_result_leave_the_window_together() {
    try (ChatModel model = Banter.builder().backend("inference-server").set("base-url", far.baseUrl())
        .set("health-interval", "0s").set("context-length", "96").noDefaultPersona().resilience(Resilience.none())
        .build()) {
      ChatSession session = new ChatSession(model, GenerationOptions.builder().maxTokens(16).build(), null);
      String filler = " with quite a few words in it to fill the small context window";
      session.restore(List.of(
          Message.user("Weather in Oslo?" + filler),
          Message.assistant("", List.of(new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}"))),
          Message.tool("call_1", "-3 °C and snow" + filler),
          Message.assistant("Snow." + filler),
          Message.user("And Bergen?" + filler),
          Message.assistant("Rain, always." + filler)));
      session.turn("Thanks" + filler, chunk -> { });
      List<Message> sent = lastRequest().messages();
      boolean call = sent.stream().anyMatch(m -> !m.toolCalls().isEmpty());
      boolean result = sent.stream().anyMatch(m -> m.role() == Role.TOOL);
      assertFalse(sent.stream().anyMatch(m -> m.content().startsWith("Weather in Oslo?")), "eviction happened");
      assertFalse(call, "the call left with its exchange: " + sent);
      assertEquals(call, result, "a tool call travels with its result: " + sent);
      assertEquals(Role.USER, sent.get(0).role(), sent.toString());
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

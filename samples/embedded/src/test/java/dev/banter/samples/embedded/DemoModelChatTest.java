package dev.banter.samples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatResponse;
import dev.banter.api.Conversation;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.samples.demo.DemoModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample as an app runs it: the demo model on the local engine, with the app's persona. */
class DemoModelChatTest {
  @TempDir
  Path filesDir;

  @Test
  void the_demo_model_answers_two_turns_as_the_apps_persona() throws IOException {
    StringBuilder out = new StringBuilder();
    try (ChatModel model = EmbeddedChat.open(DemoModel.path(), filesDir)) {
      assertEquals("fortune-teller", model.defaultPersona().get().id());
      assertEquals(Optional.of("local"), model.models().get(0).ownedBy());
      EmbeddedChat.converse(model, out);
    }
    String[] lines = out.toString().split("\n");
    assertEquals(2, lines.length, out.toString());
    for (String line : lines) {
      assertFalse(line.trim().isEmpty(), out.toString());
      assertFalse(line.contains(DemoModel.STOP), "the persona's stop sequence ends each answer: " + line);
    }
  }

  @Test
  void a_conversation_on_the_demo_model_keeps_within_its_256_token_context() {
    try (ChatModel model = EmbeddedChat.open(DemoModel.path(), filesDir)) {
      Conversation chat = model.conversation();
      for (int i = 0; i < 6; i++) {
        ChatResponse r = chat.send("Tell me fortune number " + i + ".");
        assertTrue(r.finishReason() == FinishReason.STOP || r.finishReason() == FinishReason.LENGTH, r.toString());
        assertTrue(r.usage().orElseThrow().completionTokens() <= 48, "the persona's maxTokens bounds answers: " + r.usage());
      }
      assertTrue(chat.promptTokens() <= chat.tokenBudget(), chat.promptTokens() + " > " + chat.tokenBudget());
      List<Message> history = chat.history();
      assertEquals(Role.ASSISTANT, history.get(history.size() - 1).role());
      assertTrue(history.size() < 12, "old turns were evicted to fit: " + history.size() + " messages kept");
    }
  }
}

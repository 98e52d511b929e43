package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConversationTest {
  private ScriptedBackend backend = new ScriptedBackend("scripted");

  private ChatModel model() {
    return Banter.builder().backend("scripted").provider(backend.provider()).persona("witty")
        .resilience(Resilience.none()).build();
  }

  @Test
  void turns_accumulate_and_every_turn_sends_persona_and_history() {
    backend.always(ScriptedBackend.answer("An answer."));
    Conversation c = model().conversation();
    c.send("First question?");
    c.send("Second question?");
    assertEquals(List.of(Message.user("First question?"), Message.assistant("An answer."),
        Message.user("Second question?"), Message.assistant("An answer.")), c.history());
    ChatRequest second = backend.requests.get(1);
    assertEquals(Role.SYSTEM, second.messages().get(0).role());
    assertTrue(second.messages().get(0).content().startsWith("You are Banter, a witty assistant"));
    assertEquals(Message.user("Second question?"), second.messages().get(second.messages().size() - 1));
    assertEquals(Message.user("First question?"), second.messages().get(second.messages().size() - 3));
  }

  @Test
  void old_turns_are_evicted_to_fit_the_budget_and_the_system_prompt_stays() {
    backend.always(ScriptedBackend.answer("word word word word word word word word"));
    backend.exactCount = true;
    Conversation c = model().conversation(ConversationSettings.builder().tokenBudget(300).reserveForAnswer(0).build());
    for (int i = 0; i < 12; i++) {
      c.send("question number " + i + " with a few words");
    }
    ChatRequest last = backend.requests.get(backend.requests.size() - 1);
    assertTrue(backend.countTokens(last.messages()).getAsInt() <= 300);
    assertEquals(Role.SYSTEM, last.messages().get(0).role());
    assertEquals(Message.user("question number 11 with a few words"), last.messages().get(last.messages().size() - 1));
    assertTrue(c.history().size() < 24, "old turns were forgotten: " + c.history().size());
    assertTrue(c.promptTokens() <= 300 + 20);
  }

  @Test
  void a_message_too_long_for_the_budget_fails_with_both_numbers() {
    backend.always(ScriptedBackend.answer("x"));
    Conversation c = model().conversation(ConversationSettings.builder().tokenBudget(64).reserveForAnswer(0).build());
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      big.append("word ");
    }
    ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
        () -> c.send(big.toString()));
    assertEquals(64, e.contextLimit().getAsInt());
    assertTrue(e.promptTokens().getAsInt() > 64);
    assertTrue(c.history().isEmpty(), "nothing is lost or half-added");
  }

  @Test
  void a_streamed_answer_joins_the_history_also_when_cancelled() {
    backend.then(ScriptedBackend.slowAnswer(5, 200)).always(ScriptedBackend.answer("done"));
    Conversation c = model().conversation();
    ChatStream s = c.stream("tell me everything");
    int n = 0;
    for (ChatChunk chunk : s) {
      if (++n == 3) {
        s.cancel();
      }
    }
    assertEquals(FinishReason.CANCELLED, s.await().finishReason());
    c.send("and now?");
    List<Message> h = c.history();
    assertEquals(Message.user("tell me everything"), h.get(0));
    assertTrue(h.get(1).content().startsWith("t0 t1 t2 "), h.get(1).content());
    assertEquals(Message.assistant("done"), h.get(3));
  }

  @Test
  void a_stream_cancelled_before_it_was_read_frees_the_next_turn() {
    backend.always(ScriptedBackend.answer("next"));
    Conversation c = model().conversation();
    c.stream("never read").cancel();
    ChatResponse next = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> c.send("and now?"),
        "the next turn waits forever for a cancelled stream nobody reads");
    assertEquals("next", next.text());
    assertEquals(Message.user("never read"), c.history().get(0));
  }

  @Test
  void a_listener_sees_the_streamed_answer_in_the_history_when_the_stream_ends() {
    backend.always(ScriptedBackend.answer("a", "b"));
    Conversation c = model().conversation();
    CompletableFuture<List<Message>> seen = new CompletableFuture<>();
    c.stream("hi").subscribe(new ChatListener() {
      @Override
      public void onError(BanterException error) {
        throw new AssertionError(error);
      }

      @Override
      public void onChunk(ChatChunk chunk) {}

      @Override
      public void onComplete(ChatResponse response) {
        seen.complete(c.history());
      }
    });
    assertEquals(List.of(Message.user("hi"), Message.assistant("ab")), seen.join());
  }

  @Test
  void a_listener_may_send_the_next_turn_when_the_stream_ends() {
    backend.always(ScriptedBackend.answer("ok"));
    Conversation c = model().conversation();
    CompletableFuture<ChatResponse> second = new CompletableFuture<>();
    c.stream("first").subscribe(new ChatListener() {
      @Override
      public void onError(BanterException error) {
        throw new AssertionError(error);
      }

      @Override
      public void onChunk(ChatChunk chunk) {}

      @Override
      public void onComplete(ChatResponse response) {
        second.complete(c.send("second"));
      }
    });
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> second.join(),
        "sending from onComplete waits for the turn it is called from");
    assertEquals(4, c.history().size());
  }

  @Test
  void switching_persona_changes_the_system_prompt_and_keeps_the_history() {
    backend.always(ScriptedBackend.answer("ok"));
    Conversation c = model().conversation();
    c.send("one");
    c.switchPersona("regular");
    c.send("two");
    assertEquals("regular", c.persona().get().id());
    assertTrue(backend.requests.get(1).messages().get(0).content().startsWith("You are Banter, a helpful assistant."));
    assertEquals(4, c.history().size());
  }

  @Test
  void the_settings_options_reach_every_turn_over_the_persona_defaults() {
    backend.always(ScriptedBackend.answer("ok"));
    Conversation c = model().conversation(ConversationSettings.builder()
        .options(dev.banter.api.GenerationOptions.builder().temperature(0.2).stop("User:").build()).build());
    c.send("one");
    c.send("two");
    for (ChatRequest r : backend.requests) {
      assertEquals(0.2, r.options().temperature().getAsDouble());
      assertEquals(List.of("User:"), r.options().stop());
      assertEquals(0.95, r.options().topP().getAsDouble(), "the witty persona's topP still applies");
    }
  }

  @Test
  void reset_and_restore_replace_the_history() {
    backend.always(ScriptedBackend.answer("ok"));
    Conversation c = model().conversation();
    c.send("one");
    List<Message> saved = c.history();
    c.reset();
    assertTrue(c.history().isEmpty());
    c.restore(saved);
    assertEquals(saved, c.history());
  }

  @Test
  void a_tool_result_continues_the_turn() {
    ToolCall call = new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}");
    backend.always(ScriptedBackend.answer("It is sunny."));
    Conversation c = model().conversation();
    c.restore(List.of(Message.user("Weather in Oslo?"), Message.assistant("", List.of(call))));
    c.send(Message.tool("call_1", "sunny, 21C"));
    assertEquals(4, c.history().size());
    assertEquals(Message.tool("call_1", "sunny, 21C"), c.history().get(2));
  }

  @Test
  void issue17_without_a_declared_context_the_budget_is_what_the_model_list_reports() {
    backend.contextLength = 0;
    backend.listedContextLength = 256;
    Conversation c = model().conversation();
    assertEquals(256, c.tokenBudget(), "an inference server's max_model_len, not a guessed 4096");
  }
}

package dev.banter.samples.eliza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import org.junit.jupiter.api.Test;

class ElizaTest {
  @Test
  void pronouns_are_reflected_back() {
    assertEquals("Why do you need your code to compile?", Eliza.answer("I need my code to compile.", 0));
    assertEquals("your boss hates you", Eliza.reflect("my boss hates me"));
  }

  @Test
  void the_first_matching_rule_answers_and_a_fallback_always_does() {
    assertTrue(Eliza.answer("Hello there", 0).startsWith("Hello"));
    assertFalse(Eliza.answer("zxcv qwer", 3).isEmpty());
  }

  @Test
  void the_persona_style_shows_in_the_answer() {
    Style funny = Style.fromSystemPrompt("Be funny: use wit. Be blunt and candid.");
    Style plain = Style.fromSystemPrompt("Do not joke. Keep answers short.");
    String base = "Perhaps you could rest if you tried.";
    assertTrue(funny.apply(base, 0).endsWith(")"), "a quip is added: " + funny.apply(base, 0));
    assertFalse(funny.apply(base, 0).contains("Perhaps"), "blunt drops the hedge");
    assertEquals(base, plain.apply(base, 0));
  }

  @Test
  void stop_sequences_and_max_tokens_shape_the_answer() {
    Backend b = new ElizaProvider().create(BackendConfig.builder("eliza").build());
    ChatResponse stopped = b.chat(ChatRequest.builder().user("I need a holiday")
        .options(GenerationOptions.builder().stop("a holiday").seed(0).build()).build());
    assertEquals("Why do you need ", stopped.text(), "the text before the stop sequence, as generated");
    ChatResponse cut = b.chat(ChatRequest.builder().user("I need a holiday")
        .options(GenerationOptions.builder().maxTokens(2).seed(0).build()).build());
    assertEquals("Why do", cut.text());
    assertEquals(FinishReason.LENGTH, cut.finishReason());
    b.close();
  }

  @Test
  void a_slow_stream_is_cancelled_between_words() throws Exception {
    Backend b = new ElizaProvider().create(BackendConfig.builder("eliza").set("word-delay", "50ms").build());
    ChatStream s = b.stream(ChatRequest.builder().system("Be funny.").user("I feel tired of everything").build());
    int n = 0;
    for (ChatChunk c : s) {
      if (++n == 2) {
        s.cancel();
      }
    }
    ChatResponse r = s.await();
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertTrue(r.usage().orElseThrow().completionTokens() <= 3, r.usage().toString());
    b.close();
  }
}

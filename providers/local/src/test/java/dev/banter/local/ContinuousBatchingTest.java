package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.GenerationOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Concurrent answers share their decode passes, and each is exactly the answer it gets alone
 * (greedy and seeded), because a batched step gives each session the logits of a step alone.
 */
class ContinuousBatchingTest {
  private static final String[] QUESTIONS = {"Tell me a joke.", "What is a robot?", "Say something witty.",
      "Why is the sky blue?"};

  private static ChatRequest ask(String question, GenerationOptions options) {
    return ChatRequest.builder().system("You are Banter, a witty assistant.").user(question).options(options).build();
  }

  @Test
  void concurrent_answers_share_passes_and_equal_the_answers_alone() {
    GenerationOptions greedy = GenerationOptions.builder().temperature(0).maxTokens(24).build();
    GenerationOptions seeded = GenerationOptions.builder().temperature(0.9).seed(42).maxTokens(24).build();
    for (GenerationOptions options : List.of(greedy, seeded)) {
      List<String> alone = new ArrayList<>();
      try (LocalBackend b = Demo.backend(Demo.config().set("slots", "4"))) {
        for (String q : QUESTIONS) {
          alone.add(b.chat(ask(q, options)).text());
        }
        assertEquals(b.batcher().steps(), b.batcher().passes(), "one at a time, every step is its own pass");
      }
      try (LocalBackend b = Demo.backend(Demo.config().set("slots", "4"))) {
        List<ChatStream> streams = new ArrayList<>();
        for (String q : QUESTIONS) {
          streams.add(b.stream(ask(q, options)));
        }
        List<String> together = new ArrayList<>();
        for (ChatStream s : streams) {
          ChatResponse r = s.await();
          together.add(r.text());
        }
        assertEquals(alone, together);
        assertTrue(b.batcher().passes() < b.batcher().steps(),
            b.batcher().passes() + " passes for " + b.batcher().steps() + " steps: the answers shared none");
      }
    }
  }
}

package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.GenerationOptions;
import dev.banter.api.TokenLogprob;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log probabilities on the demo model: one per generated token, as OpenAI defines them. */
class LogprobsTest {
  private static ChatRequest joke(GenerationOptions options) {
    return ChatRequest.builder().system("You are Banter, a witty assistant.").user("Tell me a joke.")
        .options(options).build();
  }

  @Test
  void greedy_answers_carry_each_tokens_logprob_and_the_chosen_token_is_the_most_likely() {
    GenerationOptions o = GenerationOptions.builder().temperature(0).logprobs(true).topLogprobs(5).build();
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatResponse r = b.chat(joke(o));
      List<TokenLogprob> lps = r.logprobs();
      // Every token but the end-of-sequence one that stopped the answer.
      assertEquals(r.usage().orElseThrow().completionTokens() - 1, lps.size());
      for (TokenLogprob t : lps) {
        assertTrue(t.logprob() <= 0, t.toString());
        assertEquals(5, t.topLogprobs().size());
        assertEquals(t.token(), t.topLogprobs().get(0).token(), "greedy takes the most likely token");
        assertEquals(t.logprob(), t.topLogprobs().get(0).logprob(), 0.0);
        for (int i = 1; i < 5; i++) {
          assertTrue(t.topLogprobs().get(i - 1).logprob() >= t.topLogprobs().get(i).logprob(), t.toString());
        }
        double mass = 0;
        for (TokenLogprob.Alternative a : t.topLogprobs()) {
          mass += Math.exp(a.logprob());
        }
        assertTrue(mass <= 1.0 + 1e-6, "the five most likely hold at most all the mass: " + mass);
      }
    }
  }

  @Test
  void logprobs_do_not_depend_on_temperature_and_streamed_chunks_carry_the_same_entries() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatResponse greedy = b.chat(joke(GenerationOptions.builder().temperature(0).logprobs(true).maxTokens(8).build()));
      List<ChatChunk> chunks = new ArrayList<>();
      ChatResponse streamed;
      try (ChatStream s = b.stream(joke(GenerationOptions.builder().temperature(0).logprobs(true).maxTokens(8)
          .build()))) {
        s.forEach(chunks::add);
        streamed = s.completion().toCompletableFuture().join();
      }
      List<TokenLogprob> fromChunks = new ArrayList<>();
      chunks.forEach(c -> fromChunks.addAll(c.logprobs()));
      assertEquals(streamed.logprobs(), fromChunks, "the chunks carry the response's entries");
      // Two runs: on JDK 25 the vector sums may round differently once the JIT has compiled them.
      assertEquals(8, greedy.logprobs().size());
      assertEquals(8, streamed.logprobs().size());
      for (int i = 0; i < 8; i++) {
        assertEquals(greedy.logprobs().get(i).token(), streamed.logprobs().get(i).token());
        assertEquals(greedy.logprobs().get(i).logprob(), streamed.logprobs().get(i).logprob(), 1e-4);
      }
      // A hot sampler draws other tokens, but the first token's distribution is the same one.
      ChatResponse hot = b.chat(joke(GenerationOptions.builder().temperature(1.5).seed(7).logprobs(true).topLogprobs(3)
          .maxTokens(1).build()));
      TokenLogprob first = hot.logprobs().get(0);
      assertEquals(greedy.logprobs().get(0).logprob(), first.topLogprobs().get(0).logprob(), 1e-4);
      assertEquals(greedy.logprobs().get(0).token(), first.topLogprobs().get(0).token());
    }
  }

  @Test
  void the_bytes_of_the_tokens_spell_the_answer_and_no_logprobs_come_unasked() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatResponse r = b.chat(joke(GenerationOptions.builder().temperature(0).logprobs(true).build()));
      assertEquals(r.text().strip(), joinedText(r.logprobs()).strip());
      ChatResponse plain = b.chat(joke(GenerationOptions.builder().temperature(0).build()));
      assertTrue(plain.logprobs().isEmpty());
      assertEquals(r.text(), plain.text());
    }
  }

  private static String joinedText(List<TokenLogprob> lps) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (TokenLogprob t : lps) {
      t.bytes().forEach(bytes::write);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}

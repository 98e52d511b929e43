package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A prompt's logits do not depend on how it is cut into passes, as long as no pass but a lone
 * token's is a single token: the property that makes a reused prefix give the same answer as a
 * fresh evaluation. Nor do they depend on the number of threads sharing the products.
 */
class BatchingTest {
  private static final String[] MODELS = {"tiny-llama-q4_k_m", "tiny-grok-q8_0", "tiny-qwen2-f32"};

  @Test
  void logits_are_bit_identical_however_the_prompt_is_batched() {
    for (String name : MODELS) {
      try (Model m = Model.load(Fixtures.resource("gguf/" + name + ".gguf"), 2)) {
        int[] tokens = m.tokenizer().encode("Once upon a time, the witty robot told a joke about the License.",
            true, false);
        float[] whole = new float[tokens.length * m.vocabSize()];
        m.newSession(128, tokens.length).appendAll(tokens, 0, tokens.length, whole, 0);
        for (int batch : new int[] {3, 4, 7, 16}) {
          float[] split = new float[whole.length];
          m.newSession(128, batch).appendAll(tokens, 0, tokens.length, split, 0);
          assertArrayEquals(whole, split, name + " in batches of " + batch);
        }
        Session s = m.newSession(128, 8);
        float[] resumed = new float[whole.length];
        s.appendAll(tokens, 0, 10, resumed, 0);
        s.appendAll(tokens, 10, tokens.length, resumed, 10 * m.vocabSize());
        assertArrayEquals(whole, resumed, name + " resumed after 10 tokens");
      }
    }
  }

  @Test
  void prompt_and_decoded_logits_are_bit_identical_whatever_the_thread_count() {
    for (String name : MODELS) {
      float[][] results = new float[3][];
      for (int threads = 1; threads <= 3; threads++) {
        try (Model m = Model.load(Fixtures.resource("gguf/" + name + ".gguf"), threads)) {
          int[] tokens = m.tokenizer().encode("The witty robot told a joke about the License.", true, false);
          int vocab = m.vocabSize();
          float[] out = new float[(tokens.length + 3) * vocab];
          Session s = m.newSession(128, tokens.length);
          s.appendAll(tokens, 0, tokens.length, out, 0);
          for (int i = 0; i < 3; i++) {
            float[] logits = s.append(new int[] {tokens[i + 1]}, 0, 1);
            System.arraycopy(logits, 0, out, (tokens.length + i) * vocab, vocab);
          }
          results[threads - 1] = out;
        }
      }
      assertArrayEquals(results[0], results[1], name + " on 2 threads");
      assertArrayEquals(results[0], results[2], name + " on 3 threads");
    }
  }

  @Test
  void a_truncated_session_continues_as_if_the_rest_had_never_been_seen() {
    try (Model m = Model.load(Fixtures.resource("gguf/tiny-llama-f32.gguf"), 1)) {
      int[] a = m.tokenizer().encode("The robot laughed at the joke.", true, false);
      int[] b = m.tokenizer().encode("The robot cried at the news.", true, false);
      Session s = m.newSession(64, 8);
      s.append(a, 0, a.length);
      int shared = s.commonPrefix(b);
      assertTrue(shared > 1 && shared < b.length, "a shared beginning: " + shared);
      s.truncate(shared);
      float[] continued = s.append(b, shared, b.length).clone();
      float[] fresh = m.newSession(64, 8).append(b, 0, b.length);
      assertArrayEquals(fresh, continued);
      assertArrayEquals(b, s.tokens());
    }
  }

  @Test
  void a_session_continues_from_a_prefix_copied_from_another_as_from_its_own() {
    try (Model m = Model.load(Fixtures.resource("gguf/tiny-llama-f32.gguf"), 1)) {
      int[] a = m.tokenizer().encode("The robot laughed at the joke.", true, false);
      int[] b = m.tokenizer().encode("The robot cried at the news.", true, false);
      Session donor = m.newSession(64, 8);
      donor.append(a, 0, a.length);
      int shared = donor.commonPrefix(b);
      Session s = m.newSession(64, 8);
      s.append(b, 0, 3);
      s.copyPrefix(donor, shared);
      assertEquals(shared, s.length());
      float[] continued = s.append(b, shared, b.length).clone();
      float[] fresh = m.newSession(64, 8).append(b, 0, b.length);
      assertArrayEquals(fresh, continued);
      assertArrayEquals(a, donor.tokens(), "the donor keeps its own tokens");

      assertThrows(IllegalArgumentException.class, () -> s.copyPrefix(s, 1));
      assertThrows(IllegalArgumentException.class, () -> s.copyPrefix(donor, a.length + 1));
      assertThrows(IllegalArgumentException.class, () -> s.copyPrefix(m.newSession(32, 8), 0));
    }
  }

  @Test
  void appending_past_the_capacity_or_outside_the_vocabulary_is_refused() {
    try (Model m = Model.load(Fixtures.resource("gguf/tiny-llama-f32.gguf"), 1)) {
      Session s = m.newSession(4, 4);
      int[] five = new int[5];
      Arrays.fill(five, 7);
      assertThrows(IllegalStateException.class, () -> s.append(five, 0, 5));
      assertThrows(IllegalArgumentException.class, () -> s.append(new int[] {640}, 0, 1));
      assertThrows(IllegalArgumentException.class, () -> s.append(five, 2, 2));
      assertEquals(0, s.length());
    }
  }
}

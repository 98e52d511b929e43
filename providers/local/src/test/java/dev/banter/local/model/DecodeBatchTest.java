package dev.banter.local.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A decode step of several sessions in one pass ({@link Session#decode}) gives each session the
 * logits, bit for bit, and the cache it would have got stepping alone, whatever the architecture,
 * weight format, number of sessions, their positions and the thread count.
 */
class DecodeBatchTest {
  /** Every fixture architecture and the decode formats; {@link PromptRunsTest} runs them too. */
  static final String[] MODELS = {
      "tiny-llama-q4_k_m", "tiny-llama-q4_0", "tiny-llama-q6_k", "tiny-llama-q8_0", "tiny-llama-q5_k_m",
      "tiny-llama-f16", "tiny-llama-bf16", "tiny-llama3-f32", "tiny-grok-q8_0", "tiny-qwen2-f32", "tiny-qwen3-f32",
      "tiny-qwen3moe-f32", "tiny-gemma3-f32", "tiny-gptoss-f32", "tiny-gptoss-mxfp4_moe", "tiny-phi3-f32",
      "tiny-phi3-long-f32", "tiny-granite-f32", "qwen25-896-q4_0", "qwen25-896-q8_0", "qwen25-896-q4_k_m",
      "qwen25-896-iq4_xs", "qwen3-1024-q4_k_m", "gemma3-640-q4_k_m"};
  static final String[] PROMPTS = {
      "Once upon a time",
      "The witty robot told a joke about the License.",
      "Hi",
      "Tell me about Mars, the red planet, and its two small moons.",
      "A B C D E F G"};
  private static final int STEPS = 3;

  /** Every model on two threads; the hot decode formats and one of each family on one as well. */
  private static final List<String> ONE_THREAD = List.of("tiny-llama-q4_k_m", "tiny-llama-q4_0", "tiny-llama-q6_k",
      "tiny-llama-q8_0", "tiny-grok-q8_0", "tiny-qwen2-f32", "tiny-qwen3moe-f32", "tiny-gemma3-f32",
      "tiny-gptoss-mxfp4_moe", "tiny-phi3-long-f32");

  static List<Arguments> models() {
    List<Arguments> args = new ArrayList<>();
    for (String model : MODELS) {
      if (ONE_THREAD.contains(model)) {
        args.add(Arguments.of(model, 1));
      }
      args.add(Arguments.of(model, 2));
    }
    return args;
  }

  @ParameterizedTest(name = "{0}, {1} thread(s)")
  @MethodSource("models")
  void batched_decode_logits_are_bit_identical_to_each_session_stepping_alone(String name, int threads) {
    try (Model m = Model.load(Fixtures.resource("gguf/" + name + ".gguf"), threads)) {
      int vocab = m.vocabSize();
      for (int b = 1; b <= PROMPTS.length; b++) {
        Session[] alone = new Session[b];
        Session[] batched = new Session[b];
        int[] next = new int[b];
        for (int i = 0; i < b; i++) {
          int[] prompt = m.tokenizer().encode(PROMPTS[i], true, false);
          int capacity = 64 + 16 * i;
          alone[i] = m.newSession(capacity, 8);
          batched[i] = m.newSession(capacity, 8);
          next[i] = argmax(alone[i].append(prompt, 0, prompt.length), vocab);
          batched[i].append(prompt, 0, prompt.length);
        }
        float[][] logits = new float[b][vocab];
        for (int step = 0; step < STEPS; step++) {
          Session.decode(batched, next.clone(), logits);
          for (int i = 0; i < b; i++) {
            float[] expected = alone[i].append(new int[] {next[i]}, 0, 1);
            assertArrayEquals(expected, logits[i], name + ": session " + i + " of " + b + ", step " + step);
            assertArrayEquals(alone[i].tokens(), batched[i].tokens());
            next[i] = argmax(expected, vocab);
          }
        }
      }
    }
  }

  @Test
  void sessions_join_and_leave_the_batch_between_steps() {
    try (Model m = Model.load(Fixtures.resource("gguf/tiny-llama-q8_0.gguf"), 2)) {
      int vocab = m.vocabSize();
      Session[] alone = new Session[3];
      Session[] batched = new Session[3];
      for (int i = 0; i < 3; i++) {
        int[] prompt = m.tokenizer().encode(PROMPTS[i + 1], true, false);
        alone[i] = m.newSession(64, 4);
        batched[i] = m.newSession(64, 4);
        alone[i].append(prompt, 0, prompt.length);
        batched[i].append(prompt, 0, prompt.length);
      }
      int[][] groups = {{0, 1, 2}, {2}, {1, 0}, {0, 2}, {0, 1, 2}};
      for (int[] group : groups) {
        Session[] step = new Session[group.length];
        int[] tokens = new int[group.length];
        float[][] logits = new float[group.length][vocab];
        for (int j = 0; j < group.length; j++) {
          step[j] = batched[group[j]];
          tokens[j] = 7 + 3 * group[j] + step[j].length();
        }
        Session.decode(step, tokens, logits);
        for (int j = 0; j < group.length; j++) {
          assertArrayEquals(alone[group[j]].append(new int[] {tokens[j]}, 0, 1), logits[j]);
        }
      }
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(alone[i].tokens(), batched[i].tokens());
        assertEquals(alone[i].evaluatedTokens(), batched[i].evaluatedTokens());
      }
    }
  }

  @Test
  void a_step_is_refused_before_anything_runs_when_an_argument_is_wrong() {
    try (Model m = Model.load(Fixtures.resource("gguf/tiny-llama-f32.gguf"), 1);
        Model other = Model.load(Fixtures.resource("gguf/tiny-llama-q8_0.gguf"), 1)) {
      int vocab = m.vocabSize();
      Session a = m.newSession(8, 4);
      Session b = m.newSession(8, 4);
      float[][] two = new float[2][vocab];
      assertThrows(IllegalArgumentException.class, () -> Session.decode(new Session[] {a, a}, new int[] {1, 2}, two));
      assertThrows(IllegalArgumentException.class,
          () -> Session.decode(new Session[] {a, other.newSession(8, 4)}, new int[] {1, 2}, two));
      assertThrows(IllegalArgumentException.class, () -> Session.decode(new Session[] {a, b}, new int[] {1}, two));
      assertThrows(IllegalArgumentException.class, () -> Session.decode(new Session[0], new int[0], new float[0][]));
      assertThrows(IllegalArgumentException.class,
          () -> Session.decode(new Session[] {a, b}, new int[] {1, vocab}, two));
      assertThrows(IllegalArgumentException.class,
          () -> Session.decode(new Session[] {a, b}, new int[] {1, 2}, new float[][] {new float[vocab], new float[3]}));
      Session full = m.newSession(2, 2);
      full.append(new int[] {1, 2}, 0, 2);
      assertThrows(IllegalStateException.class, () -> Session.decode(new Session[] {a, full}, new int[] {1, 2}, two));
      assertEquals(0, a.length());
      assertEquals(0, b.length());
    }
  }

  private static int argmax(float[] logits, int vocab) {
    int best = 0;
    for (int i = 1; i < vocab; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}

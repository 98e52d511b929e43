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
 * Several sessions' prompt runs in one pass ({@link Session#appendRuns}) leave each session the
 * logits and the cache, bit for bit, of appending its prompt alone, whatever the architecture,
 * weight format, number of sessions, how their prompts are cut into passes and the thread count.
 */
class PromptRunsTest {
  private static final String[] MODELS = DecodeBatchTest.MODELS;
  private static final String[] PROMPTS = DecodeBatchTest.PROMPTS;

  static List<Arguments> models() {
    List<Arguments> args = new ArrayList<>();
    for (String model : MODELS) {
      args.add(Arguments.of(model, 2));
    }
    args.add(Arguments.of("tiny-llama-q4_k_m", 1));
    args.add(Arguments.of("tiny-qwen3moe-f32", 1));
    args.add(Arguments.of("qwen25-896-q4_0", 3));
    return args;
  }

  @ParameterizedTest(name = "{0}, {1} thread(s)")
  @MethodSource("models")
  void prompts_in_one_pass_leave_each_session_what_its_own_append_leaves(String name, int threads) {
    try (Model m = Model.load(Fixtures.resource("gguf/" + name + ".gguf"), threads)) {
      int vocab = m.vocabSize();
      int b = PROMPTS.length;
      int[][] prompts = new int[b][];
      Session[] alone = new Session[b];
      Session[] together = new Session[b];
      float[][] expected = new float[b][];
      for (int i = 0; i < b; i++) {
        prompts[i] = m.tokenizer().encode(PROMPTS[i], true, false);
        int capacity = 64 + 16 * i;
        int batch = 3 + 2 * i;
        alone[i] = m.newSession(capacity, batch);
        together[i] = m.newSession(capacity, batch);
        expected[i] = alone[i].append(prompts[i], 0, prompts[i].length).clone();
      }
      float[][] got = new float[b][vocab];
      int[] pos = new int[b];
      int rounds = 0;
      while (true) {
        List<Integer> runs = new ArrayList<>();
        for (int i = 0; i < b; i++) {
          if (pos[i] < prompts[i].length) {
            runs.add(i);
          }
        }
        if (runs.isEmpty()) {
          break;
        }
        int k = runs.size();
        Session[] sessions = new Session[k];
        int[][] tokens = new int[k][];
        int[] from = new int[k];
        int[] to = new int[k];
        float[][] logits = new float[k][];
        for (int j = 0; j < k; j++) {
          int i = runs.get(j);
          sessions[j] = together[i];
          tokens[j] = prompts[i];
          from[j] = pos[i];
          to[j] = pos[i] + together[i].passSize(prompts[i].length - pos[i]);
          logits[j] = to[j] == prompts[i].length ? got[i] : null;
          pos[i] = to[j];
        }
        Session.appendRuns(sessions, tokens, from, to, logits);
        rounds++;
      }
      for (int i = 0; i < b; i++) {
        assertArrayEquals(expected[i], got[i], name + ": prompt " + i + " after " + rounds + " shared passes");
        assertArrayEquals(alone[i].tokens(), together[i].tokens());
        assertEquals(alone[i].evaluatedTokens(), together[i].evaluatedTokens());
      }
      // The caches are the same: a decode step on each gives the same logits.
      float[][] step = new float[b][vocab];
      int[] next = new int[b];
      for (int i = 0; i < b; i++) {
        next[i] = 11 + i;
      }
      Session.decode(together, next, step);
      for (int i = 0; i < b; i++) {
        assertArrayEquals(alone[i].append(new int[] {next[i]}, 0, 1), step[i], name + ": step after prompt " + i);
      }
    }
  }

  @Test
  void runs_are_refused_before_anything_runs_when_an_argument_is_wrong() {
    try (Model m = Model.load(Fixtures.resource("gguf/tiny-llama-f32.gguf"), 1);
        Model other = Model.load(Fixtures.resource("gguf/tiny-llama-q8_0.gguf"), 1)) {
      int vocab = m.vocabSize();
      Session a = m.newSession(32, 4);
      Session b = m.newSession(32, 4);
      int[] p = {1, 2, 3, 4, 5};
      float[][] two = new float[2][vocab];
      int[] zero = {0, 0};
      assertThrows(IllegalArgumentException.class,
          () -> Session.appendRuns(new Session[] {a, a}, new int[][] {p, p}, zero, new int[] {2, 2}, two));
      assertThrows(IllegalArgumentException.class, () -> Session.appendRuns(new Session[] {a, other.newSession(8, 4)},
          new int[][] {p, p}, zero, new int[] {2, 2}, two));
      assertThrows(IllegalArgumentException.class,
          () -> Session.appendRuns(new Session[] {a, b}, new int[][] {p, p}, zero, new int[] {2, 1}, two));
      assertThrows(IllegalArgumentException.class,
          () -> Session.appendRuns(new Session[] {a, b}, new int[][] {p, p}, zero, new int[] {2, 5}, two));
      assertThrows(IllegalArgumentException.class,
          () -> Session.appendRuns(new Session[] {a, b}, new int[][] {p, {1, vocab}}, zero, new int[] {2, 2}, two));
      assertThrows(IllegalArgumentException.class, () -> Session.appendRuns(new Session[] {a, b}, new int[][] {p, p},
          zero, new int[] {2, 2}, new float[][] {null, new float[3]}));
      assertThrows(IllegalArgumentException.class,
          () -> Session.appendRuns(new Session[0], new int[0][], new int[0], new int[0], new float[0][]));
      Session full = m.newSession(3, 2);
      full.append(new int[] {1, 2}, 0, 2);
      assertThrows(IllegalStateException.class,
          () -> Session.appendRuns(new Session[] {a, full}, new int[][] {p, p}, zero, new int[] {2, 2}, two));
      assertEquals(0, a.length());
      assertEquals(0, b.length());
      assertEquals(2, full.length());
    }
  }
}

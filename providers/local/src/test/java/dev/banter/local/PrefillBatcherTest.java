package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.model.Model;
import dev.banter.local.model.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Prompts handed in together share one pass, each getting the logits and cache of its own
 * append; pieces that cannot share run alone, and a bad piece fails only its own caller.
 */
class PrefillBatcherTest {
  private static final String[] PROMPTS = {"Tell me a joke about robots.", "What is a robot?",
      "Say something witty about the weather today, please.", "Why is the sky blue?"};

  @Test
  void prompts_handed_in_together_share_one_pass_and_get_what_they_get_alone() throws Exception {
    try (Model m = Model.load(Demo.model(), 2)) {
      int n = PROMPTS.length;
      int[][] prompts = new int[n][];
      float[][] alone = new float[n][];
      Session[] sessions = new Session[n];
      for (int i = 0; i < n; i++) {
        prompts[i] = m.tokenizer().encode(PROMPTS[i], true, false);
        alone[i] = m.newSession(128, 64).append(prompts[i], 0, prompts[i].length).clone();
        sessions[i] = m.newSession(128, 64);
      }
      // Long waits: the leader starts once all four slots' prompts are in, not when a wait ends.
      long long30 = TimeUnit.SECONDS.toNanos(30);
      PrefillBatcher batcher = new PrefillBatcher(n, long30, long30);
      for (int i = 0; i < n; i++) {
        batcher.enter();
      }
      CyclicBarrier start = new CyclicBarrier(n);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<float[]>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int p = i;
          results.add(pool.submit(() -> {
            float[] logits = new float[m.vocabSize()];
            start.await();
            batcher.append(sessions[p], prompts[p], 0, prompts[p].length, logits, true);
            batcher.leave();
            return logits;
          }));
        }
        for (int i = 0; i < n; i++) {
          assertArrayEquals(alone[i], results.get(i).get(60, TimeUnit.SECONDS), "prompt " + i);
          assertEquals(prompts[i].length, sessions[i].length());
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(n, batcher.pieces());
      assertEquals(1, batcher.passes(), "four short prompts fit one pass");
    }
  }

  @Test
  void a_prompt_does_not_wait_for_arrivals_when_every_slot_is_taken() throws Exception {
    try (Model m = Model.load(Demo.model(), 1)) {
      long long30 = TimeUnit.SECONDS.toNanos(30);
      PrefillBatcher batcher = new PrefillBatcher(1, long30, long30);
      Session s = m.newSession(64, 16);
      int[] prompt = m.tokenizer().encode(PROMPTS[0], true, false);
      float[] logits = new float[m.vocabSize()];
      assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> batcher.append(s, prompt, 0, prompt.length, logits, true));
      assertArrayEquals(m.newSession(64, 16).append(prompt, 0, prompt.length), logits);
      assertEquals(1, batcher.passes());
    }
  }

  @Test
  void an_interrupted_prompt_is_taken_back_and_never_evaluated() throws Exception {
    try (Model m = Model.load(Demo.model(), 1)) {
      long long30 = TimeUnit.SECONDS.toNanos(30);
      PrefillBatcher batcher = new PrefillBatcher(2, long30, long30);
      Session gone = m.newSession(64, 16);
      int[] prompt = m.tokenizer().encode(PROMPTS[1], true, false);
      AtomicBoolean interrupted = new AtomicBoolean();
      Thread waiting = new Thread(() -> {
        try {
          batcher.append(gone, prompt, 0, prompt.length, null, true);
        } catch (InterruptedException e) {
          interrupted.set(true);
        }
      });
      waiting.start();
      // The leader's only timed wait is the one for a second prompt to arrive.
      while (waiting.isAlive() && waiting.getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
      waiting.interrupt();
      waiting.join(20_000);
      assertTrue(interrupted.get(), "the wait ended by the interrupt");
      assertEquals(0, gone.length(), "the withdrawn piece was not evaluated");
      Session next = m.newSession(64, 16);
      assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> batcher.append(next, prompt, 0, prompt.length, null, false));
      assertEquals(prompt.length, next.length());
      assertEquals(0, gone.length());
      assertEquals(1, batcher.passes());
    }
  }

  @Test
  void a_lone_token_runs_alone_and_a_bad_piece_fails_only_its_caller() throws Exception {
    try (Model m = Model.load(Demo.model(), 1)) {
      PrefillBatcher batcher = new PrefillBatcher(2);
      Session s = m.newSession(8, 4);
      float[] logits = new float[m.vocabSize()];
      batcher.append(s, new int[] {1}, 0, 1, logits, true);
      assertArrayEquals(m.newSession(8, 4).append(new int[] {1}, 0, 1), logits);
      assertThrows(IllegalArgumentException.class,
          () -> batcher.append(s, new int[] {1, m.vocabSize()}, 0, 2, new float[m.vocabSize()], false));
      assertEquals(1, s.length(), "the refused piece evaluated nothing");
      batcher.append(s, new int[] {2, 3}, 0, 2, null, true);
      assertEquals(3, s.length());
      assertEquals(3, batcher.pieces());
    }
  }
}

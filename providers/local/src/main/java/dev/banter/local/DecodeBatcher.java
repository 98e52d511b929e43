package dev.banter.local;

import dev.banter.local.model.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous batching: the decode steps of concurrent generations go through one forward pass
 * ({@link Session#decode}), so each weight is read once per step for all of them instead of once
 * per generation. A generation hands its next token to {@link #step} and waits; the first waiting
 * thread leads: it gathers the steps of every generation that is decoding (waiting at most
 * {@link #GATHER_NANOS} for those still sampling), runs the pass, and hands each its logits. A
 * request that is still evaluating its prompt is not waited for; its prefill passes take turns
 * with the batched steps on the model's threads. Each generation's logits are bit for bit those
 * of a step alone, so batching never changes an answer. Thread-safe.
 */
final class DecodeBatcher extends PassBatcher<DecodeBatcher.Step> {
  /** How long a leader waits for decoding generations that have not handed in their step yet. */
  static final long GATHER_NANOS = 2_000_000;

  /** One generation's step: its session and token in, its logits out. */
  static final class Step extends PassBatcher.Work {
    final Session session;
    final int token;
    final float[] logits;

    Step(Session session, int token, float[] logits) {
      this.session = session;
      this.token = token;
      this.logits = logits;
    }
  }

  private final int maxBatch;
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong passes = new AtomicLong();
  private int decoding;

  DecodeBatcher(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  /** A generation starts decoding: leaders wait for its steps. */
  synchronized void enter() {
    decoding++;
  }

  /** A generation stops decoding (finished, cancelled or failed). */
  synchronized void leave() {
    decoding--;
    notifyAll();
  }

  /**
   * Appends {@code token} to {@code session} in the next shared pass and returns the logits after
   * it, in {@code logits} (the caller's array of at least the vocabulary's size).
   *
   * @throws InterruptedException if interrupted while waiting for the pass
   */
  float[] step(Session session, int token, float[] logits) throws InterruptedException {
    Step mine = new Step(session, token, logits);
    submit(mine);
    return mine.logits;
  }

  @Override
  boolean gathered() {
    return queue.size() >= Math.min(decoding, maxBatch);
  }

  @Override
  long gatherUntil(Step mine, long start) {
    return start + GATHER_NANOS;
  }

  @Override
  List<Step> take() {
    List<Step> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      batch.add(queue.poll());
    }
    return batch;
  }

  @Override
  void run(List<Step> batch) {
    int n = batch.size();
    Session[] sessions = new Session[n];
    int[] tokens = new int[n];
    float[][] logits = new float[n][];
    for (int i = 0; i < n; i++) {
      Step s = batch.get(i);
      sessions[i] = s.session;
      tokens[i] = s.token;
      logits[i] = s.logits;
    }
    try {
      Session.decode(sessions, tokens, logits);
      steps.addAndGet(n);
      passes.incrementAndGet();
    } catch (RuntimeException e) {
      // One bad step (a full session) must not fail the others: each is tried alone.
      for (Step s : batch) {
        try {
          Session.decode(new Session[] {s.session}, new int[] {s.token}, new float[][] {s.logits});
          steps.incrementAndGet();
          passes.incrementAndGet();
        } catch (RuntimeException alone) {
          s.failure = alone;
        }
      }
    }
  }

  /** Decode steps run so far. */
  long steps() {
    return steps.get();
  }

  /** Forward passes those steps took: fewer than {@link #steps()} when generations shared them. */
  long passes() {
    return passes.get();
  }
}

package dev.banter.local;

import dev.banter.local.model.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batching of prompts: the prompt passes of requests that arrive together go through one forward
 * pass ({@link Session#appendRuns}), so each weight is read once for all of them, as llama.cpp's
 * server batches its slots' prompts. A generation hands each piece of its prompt to {@link
 * #append} and waits; the first waiting thread leads: it gathers the pieces handed in, as many as
 * fit in one pass, runs the pass and hands each its logits. Before that it waits, at most {@link
 * #GATHER_NANOS}, for the pieces of prompts already under way; and when its own piece opens a
 * prompt, for requests that arrive with it, until none has come for {@link #ARRIVAL_NANOS} (four
 * times that at most): four requests a client sends at once reach the backend over 10–20 ms. It
 * does not wait once every slot's piece or a whole pass is in. A piece of one token, or a pass
 * that cannot be shared, runs alone. Each session's cache and logits are bit for bit those of its
 * own {@link Session#append}, so sharing never changes an answer. Decode steps ({@link DecodeBatcher}) go on meanwhile, product by
 * product. Thread-safe.
 *
 * <p>Worth it because a prompt pass of a few dozen tokens leaves the vector units idle between
 * weight blocks: on bench-1b Q4_0 (two threads, AVX-512) four prompts of 36 tokens ran at 70–78
 * tokens/s in one pass against 44–49 as four passes at once.
 */
final class PrefillBatcher extends PassBatcher<PrefillBatcher.Piece> {
  /** How long a leader waits for prompts under way that have not handed in their next piece. */
  static final long GATHER_NANOS = 2_000_000;
  /** How long after the last prompt to arrive a leader whose piece opens a prompt waits for more. */
  static final long ARRIVAL_NANOS = 15_000_000;

  /** One generation's piece of prompt: tokens in, logits out where asked for. */
  static final class Piece extends PassBatcher.Work {
    final Session session;
    final int[] tokens;
    final int from;
    final int to;
    final float[] logits;
    final boolean opening;

    Piece(Session session, int[] tokens, int from, int to, float[] logits, boolean opening) {
      this.session = session;
      this.tokens = tokens;
      this.from = from;
      this.to = to;
      this.logits = logits;
      this.opening = opening;
    }

    int size() {
      return to - from;
    }
  }

  private final int slots;
  private final long gatherNanos;
  private final long arrivalNanos;
  private final AtomicLong pieces = new AtomicLong();
  private final AtomicLong passes = new AtomicLong();
  private int prefilling;
  private int queuedTokens;
  private long lastArrival;

  /** For a backend of {@code slots} sessions: no more prompts than that can be under way. */
  PrefillBatcher(int slots) {
    this(slots, GATHER_NANOS, ARRIVAL_NANOS);
  }

  /**
   * With a leader's waits for prompts under way and for arriving ones (the quiet gap; four times it
   * at most) as given.
   */
  PrefillBatcher(int slots, long gatherNanos, long arrivalNanos) {
    this.slots = slots;
    this.gatherNanos = gatherNanos;
    this.arrivalNanos = arrivalNanos;
  }

  /** A generation starts evaluating its prompt: leaders wait for its pieces. */
  synchronized void enter() {
    prefilling++;
  }

  /** A generation's prompt is evaluated (or it was cancelled or failed). */
  synchronized void leave() {
    prefilling--;
    notifyAll();
  }

  /**
   * Appends {@code tokens[from .. to)} to {@code session} in the next shared pass; with {@code
   * logits} not null, writes the logits after the last of them there (the caller's array of at
   * least the vocabulary's size). {@code opening}: the piece is its prompt's first.
   *
   * @throws InterruptedException if interrupted while waiting for the pass
   */
  void append(Session session, int[] tokens, int from, int to, float[] logits, boolean opening)
      throws InterruptedException {
    Piece mine = new Piece(session, tokens, from, to, logits, opening);
    if (mine.size() < 2) {
      runAlone(mine);
      pieces.incrementAndGet();
      passes.incrementAndGet();
      mine.result();
      return;
    }
    submit(mine);
  }

  @Override
  void queued(Piece p) {
    queuedTokens += p.size();
    if (p.opening) {
      lastArrival = System.nanoTime();
    }
  }

  @Override
  void removed(Piece p) {
    queuedTokens -= p.size();
  }

  @Override
  boolean gathered() {
    return queue.size() >= slots || queuedTokens >= queue.peek().session.sharedPassTokens();
  }

  @Override
  long gatherUntil(Piece mine, long start) {
    return mine.opening ? Math.min(start + 4 * arrivalNanos, lastArrival + arrivalNanos)
        : queue.size() < prefilling ? start + gatherNanos : start;
  }

  /** The oldest pieces that fit in one shared pass together. */
  @Override
  List<Piece> take() {
    List<Piece> batch = new ArrayList<>();
    int room = queue.peek().session.sharedPassTokens();
    while (!queue.isEmpty() && queue.peek().size() <= room) {
      Piece p = queue.poll();
      queuedTokens -= p.size();
      batch.add(p);
      room -= p.size();
    }
    return batch;
  }

  @Override
  void run(List<Piece> batch) {
    int k = batch.size();
    if (k > 1) {
      Session[] sessions = new Session[k];
      int[][] tokens = new int[k][];
      int[] from = new int[k];
      int[] to = new int[k];
      float[][] logits = new float[k][];
      for (int i = 0; i < k; i++) {
        Piece p = batch.get(i);
        sessions[i] = p.session;
        tokens[i] = p.tokens;
        from[i] = p.from;
        to[i] = p.to;
        logits[i] = p.logits;
      }
      try {
        Session.appendRuns(sessions, tokens, from, to, logits);
        pieces.addAndGet(k);
        passes.incrementAndGet();
        return;
      } catch (RuntimeException e) {
        // Refused before anything ran, or failed before any session's length moved (a piece run
        // again overwrites the same cache positions): each piece is tried alone, so one bad piece
        // fails only its own request.
      }
    }
    for (Piece p : batch) {
      runAlone(p);
      pieces.incrementAndGet();
      passes.incrementAndGet();
    }
  }

  private static void runAlone(Piece p) {
    try {
      float[] out = p.session.append(p.tokens, p.from, p.to);
      if (p.logits != null) {
        System.arraycopy(out, 0, p.logits, 0, out.length);
      }
    } catch (RuntimeException e) {
      p.failure = e;
    }
  }

  /** Prompt pieces evaluated so far. */
  long pieces() {
    return pieces.get();
  }

  /** Forward passes those pieces took: fewer than {@link #pieces()} when prompts shared them. */
  long passes() {
    return passes.get();
  }
}

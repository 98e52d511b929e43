package dev.banter.local;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The leader-and-followers protocol of the batchers that put several generations' work into one
 * forward pass ({@link DecodeBatcher}, {@link PrefillBatcher}). A generation hands in its work
 * and waits; the first waiting thread leads: it waits a while for more ({@link #gathered}, {@link
 * #gatherUntil}), {@linkplain #take takes} a batch from the queue, runs it outside the lock and
 * marks it done, while the others wait for their work to be done or for the lead. An interrupted
 * caller takes its work back: out of the queue, or, when a pass has it already, once that pass is
 * over, so that no pass touches its session after the caller has given it up. A leader hands the
 * lead on even when its pass throws.
 *
 * @param <W> the work a generation hands in
 */
abstract class PassBatcher<W extends PassBatcher.Work> {
  /** Work handed in: done once a pass ran it, with the failure that is its caller's alone. */
  static class Work {
    RuntimeException failure;
    boolean done;

    /** Throws the failure of this work's pass, if it had one. */
    final void result() {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** Work handed in and not yet taken, oldest first; guarded by this. */
  final ArrayDeque<W> queue = new ArrayDeque<>();
  private boolean leading;

  /**
   * Hands in {@code mine} and returns once a pass ran it (this thread's or another's).
   *
   * @throws RuntimeException the failure of {@code mine} in its pass
   * @throws InterruptedException if interrupted while waiting; {@code mine} has not run then, or
   *     its pass is over
   */
  final void submit(W mine) throws InterruptedException {
    while (true) {
      List<W> batch;
      synchronized (this) {
        queue.add(mine);
        queued(mine);
        notifyAll();
        try {
          while (!mine.done && leading) {
            wait();
          }
        } catch (InterruptedException e) {
          withdraw(mine);
          throw e;
        }
        if (mine.done) {
          mine.result();
          return;
        }
        leading = true;
        long start = System.nanoTime();
        while (!gathered()) {
          long left = gatherUntil(mine, start) - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            wait(left / 1_000_000, (int) (left % 1_000_000));
          } catch (InterruptedException e) {
            leading = false;
            withdraw(mine);
            notifyAll();
            throw e;
          }
        }
        batch = take();
        if (!batch.contains(mine) && queue.remove(mine)) {
          removed(mine);
        }
      }
      try {
        run(batch);
      } finally {
        synchronized (this) {
          leading = false;
          for (W w : batch) {
            w.done = true;
          }
          notifyAll();
        }
      }
      if (mine.done) {
        mine.result();
        return;
      }
    }
  }

  private void withdraw(W mine) {
    if (queue.remove(mine)) {
      removed(mine);
      return;
    }
    while (!mine.done) {
      try {
        wait();
      } catch (InterruptedException again) {
        // Interrupted already; the pass under way is short and must finish with this session.
      }
    }
  }

  /** {@code w} joined the queue (holding the lock). */
  void queued(W w) {}

  /** {@code w} left the queue without being taken into a batch (holding the lock). */
  void removed(W w) {}

  /** Whether the queue holds all a leader should wait for (holding the lock). */
  abstract boolean gathered();

  /** Until when a leader whose work is {@code mine} and who started waiting at {@code start} waits for more. */
  abstract long gatherUntil(W mine, long start);

  /** The next batch, polled from the queue (holding the lock). */
  abstract List<W> take();

  /** Runs a batch, outside the lock, setting each work's failure where it has one. */
  abstract void run(List<W> batch);
}

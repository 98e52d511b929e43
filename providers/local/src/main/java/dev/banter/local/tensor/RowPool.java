package dev.banter.local.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that split a range of rows between them: the calling thread
 * takes the first part and {@code threads - 1} workers the others, and the call returns when
 * all parts are done. A worker that has not begun its part when the caller finishes its own
 * (descheduled on a busy machine, or still waking up) loses it to the caller, so a call never
 * waits for a thread that is not running. Workers spin briefly between calls (decode issues calls
 * back to back), then park. A call allocates nothing; with one thread it runs inline on the
 * caller.
 *
 * <p>Thread-safe: calls from several threads are serialised (one range runs at a time). Not
 * reentrant: a task must not call back into the pool that runs it. {@link #close()} stops the
 * workers.
 *
 * <pre>{@code
 * try (RowPool pool = new RowPool(2)) {
 *   wq.matvec(x, q, pool);                         // rows of wq split over 2 threads
 *   pool.forRange(heads, (start, end, worker) -> attend(start, end));
 * }
 * }</pre>
 */
public final class RowPool implements AutoCloseable {
  /** A piece of work over indices {@code [start, end)}, run by worker number {@code worker}. */
  public interface RangeTask {
    void run(int start, int end, int worker);
  }

  private static final long SPIN_NANOS = 200_000L;
  /** A worker's part of the current call: not yet begun, begun by the worker, taken by the caller. */
  private static final int WAITING = 0;
  private static final int BEGUN = 1;
  private static final int TAKEN = 2;

  private final int threads;
  private final Worker[] workers;
  private final Scratch[] scratch;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicIntegerArray parts;
  private final MatTask matTask = new MatTask();
  private volatile long epoch;
  private volatile boolean closed;
  private volatile boolean callerParked;
  private volatile Thread caller;
  private volatile Throwable failure;
  private RangeTask task;
  private int count;

  /**
   * @param threads the number of threads that share a range, caller included (at least 1)
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public RowPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a RowPool needs at least 1 thread, got " + threads);
    }
    this.threads = threads;
    this.scratch = new Scratch[threads];
    for (int i = 0; i < threads; i++) {
      scratch[i] = new Scratch();
    }
    this.parts = new AtomicIntegerArray(threads);
    this.workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i + 1);
      Thread t = new Thread(workers[i], "banter-rows-" + (i + 1));
      t.setDaemon(true);
      workers[i].thread = t;
      t.start();
    }
  }

  /** The number of threads sharing each range, the caller included. */
  public int threads() {
    return threads;
  }

  /**
   * Runs {@code task} over {@code [0, count)} split into {@link #threads()} contiguous parts of
   * near-equal size (part {@code i} to worker {@code i}, or to the caller if worker {@code i} has
   * not begun it when the caller is done with its own; each part runs on one thread, with its own
   * number; empty parts are skipped) and returns when all are done. An exception thrown by any
   * part is rethrown here after every part finished.
   *
   * @throws IllegalStateException if the pool is closed
   */
  public synchronized void forRange(int count, RangeTask task) {
    if (closed) {
      throw new IllegalStateException("this RowPool was closed");
    }
    if (threads == 1 || count <= 1) {
      task.run(0, count, 0);
      return;
    }
    this.task = task;
    this.count = count;
    this.failure = null;
    this.caller = Thread.currentThread();
    pending.set(workers.length);
    for (int i = 1; i < threads; i++) {
      parts.set(i, WAITING);
    }
    epoch = epoch + 1;
    for (Worker w : workers) {
      if (w.parked) {
        LockSupport.unpark(w.thread);
      }
    }
    runPart(0);
    for (int i = 1; i < threads; i++) {
      if (parts.compareAndSet(i, WAITING, TAKEN)) {
        runPart(i);
        pending.decrementAndGet();
      }
    }
    awaitWorkers();
    this.task = null;
    Throwable t = failure;
    if (t != null) {
      failure = null;
      if (t instanceof RuntimeException exception) {
        throw exception;
      }
      if (t instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("a RowPool task failed", t);
    }
  }

  /** Stops the worker threads; later calls fail. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      LockSupport.unpark(w.thread);
    }
  }

  /** The scratch buffers of worker {@code worker}; only that worker touches them during a call. */
  Scratch scratch(int worker) {
    return scratch[worker];
  }

  /** Runs a matrix product split by rows, through the pool's reusable task object. */
  synchronized void run(WeightMatrix m, float[] x, int xOffset, int n, float[] out, int outOffset) {
    MatTask t = matTask;
    t.matrix = m;
    t.x = x;
    t.xOffset = xOffset;
    t.n = n;
    t.vectors = false;
    t.out = out;
    t.outOffset = outOffset;
    try {
      forRange(m.rows(), t);
    } finally {
      t.matrix = null;
      t.x = null;
      t.out = null;
    }
  }

  /** Runs {@code n} matrix-vector products of one matrix ({@link WeightMatrix#matvecBatch}) split by rows. */
  synchronized void runVectors(WeightMatrix m, float[] x, int xOffset, int n, float[] out, int outOffset) {
    MatTask t = matTask;
    t.matrix = m;
    t.x = x;
    t.xOffset = xOffset;
    t.n = n;
    t.vectors = true;
    t.out = out;
    t.outOffset = outOffset;
    try {
      forRange(m.rows(), t);
    } finally {
      t.matrix = null;
      t.x = null;
      t.out = null;
    }
  }

  private void runPart(int part) {
    long start = (long) count * part / threads;
    long end = (long) count * (part + 1) / threads;
    if (start < end) {
      try {
        task.run((int) start, (int) end, part);
      } catch (Throwable t) {
        if (failure == null) {
          failure = t;
        }
      }
    }
  }

  private void awaitWorkers() {
    long deadline = System.nanoTime() + SPIN_NANOS;
    while (pending.get() != 0) {
      if (System.nanoTime() > deadline) {
        callerParked = true;
        if (pending.get() != 0) {
          LockSupport.park(this);
        }
        callerParked = false;
      }
    }
  }

  private final class MatTask implements RangeTask {
    WeightMatrix matrix;
    float[] x;
    int xOffset;
    int n;
    /** Whether the n tokens take the matrix-vector kernels (a decode batch) rather than the matrix product. */
    boolean vectors;
    float[] out;
    int outOffset;

    @Override
    public void run(int start, int end, int worker) {
      if (vectors) {
        matrix.multiplyVectors(x, xOffset, n, out, outOffset, start, end, scratch[worker]);
      } else {
        matrix.multiplyRows(x, xOffset, n, out, outOffset, start, end, scratch[worker]);
      }
    }
  }

  private final class Worker implements Runnable {
    final int index;
    Thread thread;
    volatile boolean parked;

    Worker(int index) {
      this.index = index;
    }

    @Override
    public void run() {
      long seen = 0;
      while (true) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        long e;
        while ((e = epoch) == seen && !closed) {
          if (System.nanoTime() > deadline) {
            parked = true;
            if (epoch == seen && !closed) {
              LockSupport.park(this);
            }
            parked = false;
          }
        }
        if (closed) {
          return;
        }
        seen = e;
        // The part may already be the caller's; then this call needs nothing from this worker.
        if (parts.compareAndSet(index, WAITING, BEGUN)) {
          runPart(index);
          if (pending.decrementAndGet() == 0 && callerParked) {
            LockSupport.unpark(caller);
          }
        }
      }
    }
  }
}

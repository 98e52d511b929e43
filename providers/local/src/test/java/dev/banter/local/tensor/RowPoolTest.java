package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RowPoolTest {

  @Test
  void every_index_is_visited_exactly_once_for_any_count_and_thread_number() {
    for (int threads = 1; threads <= 4; threads++) {
      try (RowPool pool = new RowPool(threads)) {
        for (int count : new int[] {0, 1, 2, 3, 5, 64, 1001}) {
          AtomicIntegerArray seen = new AtomicIntegerArray(count);
          pool.forRange(count, (start, end, worker) -> {
            for (int i = start; i < end; i++) {
              seen.incrementAndGet(i);
            }
          });
          for (int i = 0; i < count; i++) {
            assertEquals(1, seen.get(i), threads + " threads, count " + count + ", index " + i);
          }
        }
      }
    }
  }

  @Test
  void parts_are_contiguous_and_numbered_by_worker() {
    try (RowPool pool = new RowPool(3)) {
      int[] starts = new int[3];
      int[] ends = new int[3];
      pool.forRange(10, (start, end, worker) -> {
        starts[worker] = start;
        ends[worker] = end;
      });
      assertEquals(0, starts[0]);
      assertEquals(ends[0], starts[1]);
      assertEquals(ends[1], starts[2]);
      assertEquals(10, ends[2]);
    }
  }

  @Test
  void one_thread_runs_on_the_caller() {
    try (RowPool pool = new RowPool(1)) {
      Thread[] ran = new Thread[1];
      pool.forRange(5, (start, end, worker) -> ran[0] = Thread.currentThread());
      assertSame(Thread.currentThread(), ran[0]);
    }
  }

  @Test
  void many_calls_in_a_row_all_complete() {
    try (RowPool pool = new RowPool(2)) {
      long[] sum = new long[2];
      for (int call = 0; call < 3_000; call++) {
        pool.forRange(2, (start, end, worker) -> sum[worker] += end - start);
      }
      assertEquals(3_000, sum[0]);
      assertEquals(3_000, sum[1]);
    }
  }

  @Test
  void calls_after_a_pause_wake_the_parked_workers() throws InterruptedException {
    try (RowPool pool = new RowPool(2)) {
      Thread.sleep(50);                             // longer than the spin: workers park
      AtomicIntegerArray seen = new AtomicIntegerArray(2);
      pool.forRange(2, (start, end, worker) -> seen.incrementAndGet(worker));
      assertEquals(1, seen.get(0));
      assertEquals(1, seen.get(1));
    }
  }

  @Test
  void a_failing_part_is_rethrown_after_all_parts_finish_and_the_pool_stays_usable() {
    try (RowPool pool = new RowPool(2)) {
      AtomicIntegerArray done = new AtomicIntegerArray(2);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> pool.forRange(2, (start, end, worker) -> {
            if (worker == 1) {
              throw new IllegalStateException("part 1 failed");
            }
            done.incrementAndGet(0);
          }));
      assertEquals("part 1 failed", e.getMessage());
      assertEquals(1, done.get(0));
      pool.forRange(2, (start, end, worker) -> done.incrementAndGet(worker));
      assertEquals(2, done.get(0));
      assertEquals(1, done.get(1));
    }
  }

  @Test
  void a_closed_pool_refuses_work_and_fewer_than_one_thread_is_refused() {
    RowPool pool = new RowPool(2);
    pool.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> pool.forRange(4, (start, end, worker) -> { }));
    assertTrue(e.getMessage().contains("closed"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new RowPool(0));
    assertTrue(bad.getMessage().contains("at least 1"));
  }

  @Test
  void steady_state_calls_allocate_nothing_on_the_calling_thread() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
    long id = Thread.currentThread().getId();
    try (RowPool pool = new RowPool(2)) {
      long[] sum = new long[2];
      RowPool.RangeTask task = (start, end, worker) -> sum[worker] += end - start;
      for (int i = 0; i < 3_000; i++) {
        pool.forRange(100, task);
      }
      // One-time costs (linking a path taken for the first time, such as the caller taking a
      // late worker's part, or a deoptimisation) may land in any window; steady state may not.
      long fewest = Long.MAX_VALUE;
      for (int window = 0; window < 5 && fewest > 0; window++) {
        long before = bean.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000; i++) {
          pool.forRange(100, task);
        }
        fewest = Math.min(fewest, bean.getThreadAllocatedBytes(id) - before);
      }
      assertEquals(0, fewest, "bytes allocated by 1000 calls, in the best of five windows");
    }
  }

  @Test
  void workers_are_daemon_threads() {
    try (RowPool pool = new RowPool(2)) {
      boolean[] daemon = new boolean[2];
      java.util.concurrent.CountDownLatch begun = new java.util.concurrent.CountDownLatch(1);
      pool.forRange(2, (start, end, worker) -> {
        if (worker == 0) {
          // keep the caller busy until part 1 has begun, so that a worker runs it
          try {
            begun.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        } else {
          daemon[1] = Thread.currentThread().isDaemon();
          begun.countDown();
        }
      });
      assertTrue(daemon[1]);
    }
  }

  @Test
  void every_part_runs_once_whichever_thread_takes_it() {
    try (RowPool pool = new RowPool(3)) {
      AtomicIntegerArray runs = new AtomicIntegerArray(3);
      for (int call = 0; call < 5_000; call++) {
        pool.forRange(3, (start, end, worker) -> runs.incrementAndGet(worker));
      }
      for (int w = 0; w < 3; w++) {
        assertEquals(5_000, runs.get(w), "part " + w);
      }
    }
  }

  @Test
  void a_part_left_by_a_busy_worker_is_taken_by_the_caller() throws InterruptedException {
    try (RowPool pool = new RowPool(2)) {
      Thread.sleep(50);                             // the worker parks
      Thread[] ran = new Thread[2];
      for (int call = 0; call < 200; call++) {
        pool.forRange(2, (start, end, worker) -> ran[worker] = Thread.currentThread());
        if (ran[1] == Thread.currentThread()) {
          return;                                   // the caller took the worker's part
        }
        Thread.sleep(1);
      }
      Assumptions.abort("the worker always woke before the caller finished its part");
    }
  }
}

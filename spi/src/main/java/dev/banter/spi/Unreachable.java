package dev.banter.spi;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs an action when the garbage collector finds an object unreachable: how a stream learns
 * that its caller dropped it. One daemon thread serves every watch. The action must not hold the
 * watched object, or it never becomes unreachable. Plain phantom references rather than
 * {@code java.lang.ref.Cleaner}, which Android has only from API 33. Thread-safe.
 */
final class Unreachable {
  private static final Logger LOG = Logger.getLogger(Unreachable.class.getName());
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  /** Watches still armed; a phantom reference must itself stay reachable to be enqueued. */
  private static final Set<Watch> ARMED = ConcurrentHashMap.newKeySet();

  static {
    Thread t = new Thread(Unreachable::run, "banter-unreachable-streams");
    t.setDaemon(true);
    t.start();
  }

  private Unreachable() {}

  /** One watched object: disarm it once its action is no longer needed. */
  static final class Watch extends PhantomReference<Object> {
    private final Runnable action;

    private Watch(Object watched, Runnable action) {
      super(watched, QUEUE);
      this.action = action;
    }

    void disarm() {
      ARMED.remove(this);
      clear();
    }
  }

  /** Runs {@code action} on the watcher thread once {@code watched} is unreachable, unless disarmed first. */
  static Watch watch(Object watched, Runnable action) {
    Watch w = new Watch(watched, action);
    ARMED.add(w);
    return w;
  }

  private static void run() {
    while (true) {
      try {
        Watch w = (Watch) QUEUE.remove();
        if (ARMED.remove(w)) {
          w.action.run();
        }
      } catch (InterruptedException e) {
        // A daemon thread of the library's own: nobody should interrupt it, and it keeps watching.
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "an action for an unreachable stream threw; ignored", e);
      }
    }
  }
}

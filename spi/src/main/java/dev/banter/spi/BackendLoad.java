package dev.banter.spi;

/**
 * How busy a backend is at one moment: its generation slots, the requests waiting for one, and
 * how much of its KV cache holds tokens. What a server's {@code /metrics} reports as slots busy,
 * queue depth and KV cache use. Immutable and thread-safe.
 *
 * <pre>{@code
 * BackendLoad load = BackendLoad.of(busy, slots.length, queue.size(), cachedTokens, slots.length * context);
 * System.out.printf("%d/%d slots, KV cache %.0f%% full%n", load.busySlots(), load.slots(), 100 * load.cacheUse());
 * }</pre>
 *
 * @param busySlots slots generating now
 * @param slots slots in all; {@code busySlots <= slots}
 * @param queued requests waiting for a slot
 * @param cachedTokens tokens held in the KV caches
 * @param cacheCapacity tokens the KV caches can hold; {@code cachedTokens <= cacheCapacity}
 */
public record BackendLoad(int busySlots, int slots, int queued, long cachedTokens, long cacheCapacity) {
  /** A backend with nothing to report. */
  public static final BackendLoad NONE = new BackendLoad(0, 0, 0, 0, 0);

  /** @throws IllegalArgumentException if a count is negative or a part exceeds its whole */
  public BackendLoad {
    if (busySlots < 0 || queued < 0 || cachedTokens < 0 || busySlots > slots || cachedTokens > cacheCapacity) {
      throw new IllegalArgumentException("a load needs 0 <= busySlots <= slots, 0 <= cachedTokens <= cacheCapacity "
          + "and queued >= 0, got busy=" + busySlots + "/" + slots + ", cached=" + cachedTokens + "/" + cacheCapacity
          + ", queued=" + queued);
    }
  }

  public static BackendLoad of(int busySlots, int slots, int queued, long cachedTokens, long cacheCapacity) {
    return new BackendLoad(busySlots, slots, queued, cachedTokens, cacheCapacity);
  }

  /** The fraction of the KV cache in use, 0 when there is none. */
  public double cacheUse() {
    return cacheCapacity == 0 ? 0 : (double) cachedTokens / cacheCapacity;
  }

  /** The load of this backend and {@code other} together, as of two backends behind one server. */
  public BackendLoad plus(BackendLoad other) {
    return new BackendLoad(busySlots + other.busySlots, slots + other.slots, queued + other.queued,
        cachedTokens + other.cachedTokens, cacheCapacity + other.cacheCapacity);
  }
}

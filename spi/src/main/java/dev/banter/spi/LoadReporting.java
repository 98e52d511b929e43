package dev.banter.spi;

import java.util.Optional;

/**
 * Something that can say how busy it is: a backend with its own slots and KV cache (the local
 * engine), or a chat model made of such backends. A server checks for it with {@code instanceof}
 * to fill its {@code /metrics}; remote backends, which cannot see the load behind their API, do
 * not implement it. {@link #load()} is called from any thread, often, and must be cheap.
 *
 * <pre>{@code
 * if (model instanceof LoadReporting reporting) {
 *   reporting.load().ifPresent(l -> gauge.set(l.busySlots()));
 * }
 * }</pre>
 */
public interface LoadReporting {
  /** The load now, or empty when nothing behind this object knows its load. */
  Optional<BackendLoad> load();
}

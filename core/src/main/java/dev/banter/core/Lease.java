package dev.banter.core;

import dev.banter.api.BanterException;

/**
 * The permits one attempt holds on a backend (bulkhead slot, circuit-breaker call) until the call
 * ends; for a stream that is when the stream ends, long after the attempt returned. Ending twice
 * has no effect.
 */
interface Lease {
  /** Ends the call: {@code error} is null on success (a cancel counts as success). */
  void end(BanterException error);
}

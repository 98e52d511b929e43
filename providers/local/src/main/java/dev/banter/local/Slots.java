package dev.banter.local;

import dev.banter.local.model.Session;
import dev.banter.spi.BackendLoad;
import java.util.function.Supplier;

/**
 * A fixed number of KV-cache slots, each holding the session of the last conversation that used
 * it, allocated on first use. A request takes the free slot that holds its conversation — whose
 * cache shares with the prompt at least half of what it holds, as the previous turn of a chat
 * does — so the next turn finds the previous turn's cache. A new conversation shares no more than
 * the chat template's first tokens with any slot; it takes a slot never used, else the least
 * recently used, so that it does not evict a conversation that another slot could have spared
 * (llama.cpp's server picks by a similar prompt-similarity threshold). Such a slot starts from the
 * longest prefix an idle slot shares with the prompt (a persona's system prompt and examples,
 * the same for every conversation), copied rather than evaluated again. Callers wait while every
 * slot is busy. Thread-safe.
 */
final class Slots {
  /** One KV cache and what it holds. Used by one request at a time. */
  static final class Slot {
    final int index;
    private Session session;
    private boolean busy;
    private long lastUsed;

    Slot(int index) {
      this.index = index;
    }

    /** The slot's session; valid while the slot is held. */
    Session session() {
      return session;
    }
  }

  /** The shortest shared prefix worth copying from another slot (a template's first tokens are not). */
  private static final int MIN_SEED = 16;

  private final Slot[] slots;
  private final Supplier<Session> factory;
  private long clock;

  Slots(int count, Supplier<Session> factory) {
    this.slots = new Slot[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new Slot(i);
    }
    this.factory = factory;
  }

  int size() {
    return slots.length;
  }

  /**
   * Takes a free slot for {@code prompt}, allocating its session on first use; waits while none
   * is free.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws OutOfMemoryError if a new session does not fit in the heap (the slot stays free)
   */
  synchronized Slot acquire(int[] prompt) throws InterruptedException {
    while (true) {
      Slot best = null;
      int bestPrefix = 0;
      Slot unused = null;
      Slot oldest = null;
      for (Slot s : slots) {
        if (s.busy) {
          continue;
        }
        if (s.session == null) {
          if (unused == null) {
            unused = s;
          }
          continue;
        }
        int prefix = s.session.commonPrefix(prompt);
        if (prefix > bestPrefix && 2L * prefix >= s.session.length()) {
          best = s;
          bestPrefix = prefix;
        }
        if (oldest == null || s.lastUsed < oldest.lastUsed) {
          oldest = s;
        }
      }
      Slot chosen = best != null ? best : unused != null ? unused : oldest;
      if (chosen != null) {
        if (chosen.session == null) {
          chosen.session = factory.get();
        }
        if (chosen != best) {
          seed(chosen, prompt);
        }
        chosen.busy = true;
        chosen.lastUsed = ++clock;
        return chosen;
      }
      wait();
    }
  }

  /**
   * Copies into {@code chosen} the longest prefix of {@code prompt} that another idle slot holds,
   * when it is longer than what {@code chosen} holds of it already (a copy of a few megabytes
   * instead of a forward pass per token).
   */
  private void seed(Slot chosen, int[] prompt) {
    int have = chosen.session.commonPrefix(prompt);
    Slot donor = null;
    int longest = Math.max(have, MIN_SEED - 1);
    for (Slot s : slots) {
      if (s != chosen && !s.busy && s.session != null) {
        int prefix = s.session.commonPrefix(prompt);
        if (prefix > longest) {
          donor = s;
          longest = prefix;
        }
      }
    }
    if (donor != null) {
      chosen.session.copyPrefix(donor.session, longest);
    }
  }

  /** Gives a slot back; its session keeps its cache for the next request that shares a prefix. */
  synchronized void release(Slot slot) {
    slot.busy = false;
    slot.lastUsed = ++clock;
    notifyAll();
  }

  /**
   * The slots' load: how many are busy and how many tokens their caches hold out of
   * {@code context} each. A busy slot's count is read while it generates, so it may lag a token.
   */
  synchronized BackendLoad load(int queued, int context) {
    int busy = 0;
    long cached = 0;
    for (Slot s : slots) {
      busy += s.busy ? 1 : 0;
      cached += s.session == null ? 0 : Math.min(context, s.session.length());
    }
    return BackendLoad.of(busy, slots.length, queued, cached, (long) context * slots.length);
  }

  /** Drops every idle session's memory (the slots stay, and allocate again on use). */
  synchronized void clear() {
    for (Slot s : slots) {
      if (!s.busy) {
        s.session = null;
      }
    }
  }
}

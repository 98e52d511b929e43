package dev.banter.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when something sleeps on it; it records every sleep. */
final class VirtualTime implements TimeSource {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    nanos.addAndGet(duration.toNanos());
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}

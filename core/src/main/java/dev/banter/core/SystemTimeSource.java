package dev.banter.core;

import java.time.Clock;
import java.time.Duration;

final class SystemTimeSource implements TimeSource {
  static final SystemTimeSource INSTANCE = new SystemTimeSource();

  private SystemTimeSource() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long ms = duration.toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }
}

package dev.banter.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
  public void sleep(Duration duration, CountDownLatch wakeUp) throws InterruptedException {
    long ms = duration.toMillis();
    if (ms > 0) {
      wakeUp.await(ms, TimeUnit.MILLISECONDS);
    }
  }
}

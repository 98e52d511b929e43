package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import dev.banter.api.GenerationTimeoutException;
import dev.banter.api.Timings;
import dev.banter.api.Usage;
import dev.banter.spi.ChatStreamEmitter;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries one backend stream into the caller's stream. Until the first signal it belongs to the
 * attempt, which waits for it (with the time-to-first-token limit) and may abandon it; from the
 * first chunk on, everything goes to the caller and nothing is retried. Demand passes through:
 * the backend is asked for the next chunk only when the caller's buffer has room, and the silence
 * limit only runs while a chunk has been asked for.
 */
final class StreamRelay implements ChatListener {
  private static final int WAITING = 0;
  private static final int STARTED = 1;
  private static final int ABANDONED = 2;
  private static final int DONE = 3;

  private final ChatStreamEmitter out;
  private final String backendName;
  private final String backendId;
  private final Lease lease;
  private final RequestInfo info;
  private final ChatObserver observer;
  private final TimeSource time;
  private final long callStartNanos;
  private final Duration idleTimeout;
  private final ScheduledExecutorService timer;

  private final AtomicInteger state = new AtomicInteger(WAITING);
  private final CountDownLatch firstSignal = new CountDownLatch(1);
  private volatile BanterException earlyError;
  private volatile ChatSubscription subscription;
  private volatile ChatStream source;
  private volatile long firstChunkNanos = -1;
  private ScheduledFuture<?> idleCheck;

  StreamRelay(ChatStreamEmitter out, String backendName, String backendId, Lease lease, RequestInfo info,
      ChatObserver observer, TimeSource time, long callStartNanos, Duration idleTimeout,
      ScheduledExecutorService timer) {
    this.out = out;
    this.backendName = backendName;
    this.backendId = backendId;
    this.lease = lease;
    this.info = info;
    this.observer = observer;
    this.time = time;
    this.callStartNanos = callStartNanos;
    this.idleTimeout = idleTimeout;
    this.timer = timer;
  }

  /**
   * Subscribes to {@code stream} and waits for its first chunk or end.
   *
   * @throws BanterException the failure before the first chunk, or the first-token timeout
   */
  void open(ChatStream stream, Duration firstTokenTimeout) {
    this.source = stream;
    out.onCancel(stream::cancel);
    stream.subscribe(this);
    boolean signalled;
    try {
      if (firstTokenTimeout.isZero()) {
        firstSignal.await();
        signalled = true;
      } else {
        signalled = firstSignal.await(firstTokenTimeout.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!abandon()) {
        // the first chunk or the end came in meanwhile: the stream is the caller's now
        throwEarlyError();
        return;
      }
      throw new BanterException("Interrupted while waiting for the first token from backend '" + backendName + "'.",
          backendId, e);
    }
    if (!signalled && abandon()) {
      throw new GenerationTimeoutException("Backend '" + backendName + "' sent no token within "
          + firstTokenTimeout + " (the time-to-first-token limit). Raise Resilience.firstTokenTimeout for slow"
          + " models or long prompts.", backendId, GenerationTimeoutException.Phase.FIRST_TOKEN, firstTokenTimeout);
    }
    throwEarlyError();
  }

  private void throwEarlyError() {
    BanterException e = earlyError;
    if (e != null) {
      throw e;
    }
  }

  private boolean abandon() {
    if (state.compareAndSet(WAITING, ABANDONED)) {
      source.cancel();
      return true;
    }
    return false;
  }

  @Override
  public void onSubscribe(ChatSubscription s) {
    subscription = s;
    s.request(1);
    armIdleCheck();
  }

  @Override
  public void onChunk(ChatChunk chunk) {
    int st = state.get();
    if (st == WAITING) {
      if (!state.compareAndSet(WAITING, STARTED)) {
        return;
      }
      firstChunkNanos = time.nanoTime();
      observer.onFirstToken(info, backendName, Duration.ofNanos(Math.max(0, firstChunkNanos - callStartNanos)));
      firstSignal.countDown();
    } else if (st != STARTED) {
      return;
    }
    disarmIdleCheck();
    observer.onChunk(info, chunk);
    boolean more;
    try {
      more = out.emit(chunk);
    } catch (IllegalStateException ended) {
      // The idle limit fired on the timer thread while this chunk was on its way and has already
      // failed the caller's stream; the chunk is dropped and the backend's stream is cancelled.
      return;
    }
    if (!more) {
      subscription.cancel();
      return;
    }
    if (out.isWritable()) {
      requestNext();
    } else {
      out.onWritable(this::requestNext);
    }
  }

  private void requestNext() {
    if (state.get() == STARTED) {
      armIdleCheck();
      subscription.request(1);
    }
  }

  @Override
  public void onComplete(ChatResponse response) {
    if (state.compareAndSet(WAITING, STARTED)) {
      firstSignal.countDown();
    }
    if (!state.compareAndSet(STARTED, DONE)) {
      return;
    }
    disarmIdleCheck();
    lease.end(null);
    try {
      finish(response);
    } catch (RuntimeException e) {
      out.fail(new BanterException("Backend '" + backendName + "' ended its answer with an invalid response: " + e,
          backendId, e));
    }
  }

  /**
   * Ends the caller's stream with the backend's outcome, timed from the caller's start (the
   * backend's clock started later, after retries and fallbacks), keeping the rates the backend
   * measured itself.
   */
  private void finish(ChatResponse response) {
    long end = time.nanoTime();
    long first = firstChunkNanos < 0 ? end : firstChunkNanos;
    int generated = response.usage().map(Usage::completionTokens).orElse(0);
    Timings measured = Timings.measured(callStartNanos, first, end, generated);
    Optional<Timings> reported = response.timings();
    OptionalDouble promptRate = reported.map(Timings::promptTokensPerSecond).orElse(OptionalDouble.empty());
    OptionalDouble rate = reported.map(Timings::tokensPerSecond).filter(OptionalDouble::isPresent)
        .orElse(measured.tokensPerSecond());
    out.answeredBy(response.backendId().orElse(backendId), response.model().orElse(""));
    Timings t = new Timings(measured.timeToFirstToken(), measured.total(), promptRate, rate);
    if (response.usage().isPresent()) {
      out.complete(response.finishReason(), response.usage().get(), t);
    } else {
      out.complete(response.finishReason());
    }
  }

  @Override
  public void onError(BanterException error) {
    if (state.get() == WAITING) {
      earlyError = error;
      if (state.compareAndSet(WAITING, DONE)) {
        firstSignal.countDown();
      }
      return;
    }
    if (!state.compareAndSet(STARTED, DONE)) {
      return;
    }
    disarmIdleCheck();
    lease.end(error);
    out.fail(error);
  }

  private synchronized void armIdleCheck() {
    if (idleTimeout.isZero() || state.get() != STARTED) {
      return;
    }
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    try {
      idleCheck = timer.schedule(this::idleExpired, idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // the model was closed: its backends end their streams; the silence limit no longer applies
      idleCheck = null;
    }
  }

  private synchronized void disarmIdleCheck() {
    if (idleCheck != null) {
      idleCheck.cancel(false);
      idleCheck = null;
    }
  }

  /** The silence limit ran out; runs on the timer thread, concurrently with the backend's callbacks. */
  void idleExpired() {
    if (!state.compareAndSet(STARTED, DONE)) {
      return;
    }
    GenerationTimeoutException e = new GenerationTimeoutException("Backend '" + backendName + "' went silent for "
        + idleTimeout + " in the middle of an answer (the idle limit); the partial answer was delivered.",
        backendId, GenerationTimeoutException.Phase.BETWEEN_TOKENS, idleTimeout);
    source.cancel();
    lease.end(e);
    out.fail(e);
  }
}

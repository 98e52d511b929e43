package dev.banter.spi;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.Timings;
import dev.banter.api.TokenLogprob;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one {@link ChatStream} implementation backends hand out: the backend pushes chunks into it
 * from any thread, and it delivers them to the consumer no faster than the consumer asked for,
 * in order, ending with exactly one terminal signal. It also accumulates the answer (text,
 * reasoning, tool calls assembled by index) so that the final {@link ChatResponse} — including
 * the partial one after {@link #cancel()} — needs nothing from the backend but why it stopped
 * and the tokens it used. Thread-safe.
 *
 * <p>The producer contract: call {@link #emit(ChatChunk)} for each increment and stop when it
 * returns {@code false} (the stream was cancelled); then call {@link #complete} or {@link #fail}
 * exactly once — also after a cancel, so the partial usage reaches the caller. Slow consumers
 * are handled by checking {@link #isWritable()} (or blocking in {@link #awaitWritable()}) and
 * registering {@link #onWritable(Runnable)}; {@code emit} itself never blocks. A consumer that
 * stops reading for longer than the stall limit (60 s unless set) cancels the stream, so a
 * producer never waits for ever on a stream nobody reads; the {@link #handle()} given to the
 * caller cancels the stream as soon as the caller drops it unread. {@link TokenStream} does all of
 * this for a backend that produces text token by token.
 *
 * <p>The stream's phases:
 * <pre>
 * RUNNING --cancel()--> CANCELLED --complete()/fail()--> ENDED --last chunk delivered--> TERMINATED
 *    |                                                     ^
 *    +-----------------complete()/fail()-------------------+
 * </pre>
 * Chunks flow only while RUNNING or ENDED; a cancel drops those not yet delivered. TERMINATED is
 * reached when the consumer received its terminal signal. A stream cancelled and ended before
 * anyone consumed it completes its observers at once, and gives a consumer that still comes its
 * terminal signal.
 *
 * <pre>{@code
 * ChatStreamEmitter out = ChatStreamEmitter.create("echo", "echo-1");
 * executor.execute(() -> {
 *   for (String word : words) if (!out.emit(ChatChunk.ofText(word + " "))) break;
 *   out.complete(FinishReason.STOP, Usage.of(promptTokens, words.size()));
 * });
 * return out.handle();
 * }</pre>
 */
public final class ChatStreamEmitter implements ChatStream {
  /** Buffered, undelivered chunks above which {@link #isWritable()} turns false. */
  public static final int DEFAULT_HIGH_WATER_MARK = 64;
  /** How long a producer waits in {@link #awaitWritable()} for a consumer that stopped reading. */
  public static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(60);
  private static final Logger LOG = Logger.getLogger(ChatStreamEmitter.class.getName());

  /** The stream's lifecycle; see the class comment. */
  private enum Phase {
    RUNNING,
    CANCELLED,
    ENDED,
    TERMINATED
  }

  /** How the producer ended: a response or an error, published with the move to ENDED. */
  private record Outcome(ChatResponse response, BanterException error) {}

  private volatile String backendId;
  private volatile String model;
  private final LongSupplier nanoTime;
  private final int highWaterMark;
  private final long stallLimitNanos;
  private final long startNanos;

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.RUNNING);
  private final AtomicBoolean producerEnded = new AtomicBoolean();
  private volatile boolean cancelRequested;
  private volatile Outcome outcome;

  private final Queue<ChatChunk> buffer = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicLong requested = new AtomicLong();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean consumed = new AtomicBoolean();
  private final AtomicBoolean handedOut = new AtomicBoolean();
  private volatile ChatListener listener;

  // "settled" completes first, so bookkeeping chained on whenDone() is finished before the consumer
  // sees the end; "completion" last, so await() returns after the listener's final callback.
  private final CompletableFuture<ChatResponse> settled = new CompletableFuture<>();
  private final CompletableFuture<ChatResponse> completion = new CompletableFuture<>();
  private final List<Runnable> cancelHandlers = new CopyOnWriteArrayList<>();
  private final List<Runnable> writableHandlers = new CopyOnWriteArrayList<>();
  private final Object writableLock = new Object();

  // The accumulated answer; guarded by "this".
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final Map<Integer, ToolCallParts> toolCalls = new TreeMap<>();
  private final List<TokenLogprob> logprobs = new ArrayList<>();
  private long firstChunkNanos = -1;

  private ChatStreamEmitter(String backendId, String model, LongSupplier nanoTime, int highWaterMark,
      Duration stallLimit) {
    this.backendId = Objects.requireNonNull(backendId, "backendId");
    this.model = Objects.requireNonNull(model, "model");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    if (highWaterMark < 1) {
      throw new IllegalArgumentException("highWaterMark must be >= 1, got " + highWaterMark);
    }
    if (stallLimit.isNegative() || stallLimit.isZero()) {
      throw new IllegalArgumentException("stallLimit must be positive, got " + stallLimit);
    }
    this.highWaterMark = highWaterMark;
    this.stallLimitNanos = stallLimit.toNanos();
    this.startNanos = nanoTime.getAsLong();
  }

  /** An emitter for a stream answered by {@code model} of backend {@code backendId}. */
  public static ChatStreamEmitter create(String backendId, String model) {
    return new ChatStreamEmitter(backendId, model, System::nanoTime, DEFAULT_HIGH_WATER_MARK, DEFAULT_STALL_LIMIT);
  }

  /**
   * An emitter with its own clock (nanosecond ticks, for measuring {@link Timings}), buffer limit
   * and stall limit.
   */
  public static ChatStreamEmitter create(String backendId, String model, LongSupplier nanoTime, int highWaterMark,
      Duration stallLimit) {
    return new ChatStreamEmitter(backendId, model, nanoTime, highWaterMark, stallLimit);
  }

  // ---------------------------------------------------------------- producer side

  /**
   * Hands a chunk to the consumer (now, or when it asks for more). Never blocks.
   *
   * @return {@code false} when the stream was cancelled: stop producing
   * @throws IllegalStateException if called after {@link #complete} or {@link #fail}
   */
  public boolean emit(ChatChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (producerEnded.get()) {
      throw new IllegalStateException("emit after the stream ended (backend " + backendId + ")");
    }
    if (cancelRequested) {
      return false;
    }
    if (chunk.isEmpty()) {
      return true;
    }
    synchronized (this) {
      if (firstChunkNanos < 0) {
        firstChunkNanos = nanoTime.getAsLong();
      }
      text.append(chunk.text());
      reasoning.append(chunk.reasoning());
      for (ToolCallDelta d : chunk.toolCalls()) {
        toolCalls.computeIfAbsent(d.index(), i -> new ToolCallParts()).add(d);
      }
      logprobs.addAll(chunk.logprobs());
    }
    buffered.incrementAndGet();
    buffer.offer(chunk);
    drain();
    return !cancelRequested;
  }

  /**
   * Ends the stream normally. After a cancel the reason becomes {@link FinishReason#CANCELLED}.
   * Timings are measured from this emitter's creation, first chunk and this call.
   *
   * @param usage the tokens used so far (also after a cancel)
   */
  public void complete(FinishReason reason, Usage usage) {
    Objects.requireNonNull(usage, "usage");
    end(reason, usage, null);
  }

  /** Ends the stream normally when the backend cannot tell the tokens it used. */
  public void complete(FinishReason reason) {
    end(reason, null, null);
  }

  /** Ends the stream normally with timings the backend measured itself. */
  public void complete(FinishReason reason, Usage usage, Timings timings) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(timings, "timings");
    end(reason, usage, timings);
  }

  private void end(FinishReason reason, Usage usage, Timings timings) {
    Objects.requireNonNull(reason, "reason");
    if (!producerEnded.compareAndSet(false, true)) {
      return;
    }
    FinishReason finish = cancelRequested ? FinishReason.CANCELLED : reason;
    publish(new Outcome(buildResponse(finish, usage, timings), null));
  }

  /**
   * Ends the stream with an error. After a cancel, the error is taken for the consequence of the
   * cancel and the stream completes as cancelled instead.
   */
  public void fail(BanterException error) {
    Objects.requireNonNull(error, "error");
    if (!producerEnded.compareAndSet(false, true)) {
      return;
    }
    publish(cancelRequested
        ? new Outcome(buildResponse(FinishReason.CANCELLED, null, null), null)
        : new Outcome(null, error));
  }

  private void publish(Outcome o) {
    outcome = o;
    phase.updateAndGet(p -> p == Phase.TERMINATED ? p : Phase.ENDED);
    signalWritable();
    drain();
  }

  /**
   * Names the backend and model that answer, when they are only known after the stream was handed
   * out (core's fallback chain picks the backend later). Call before {@link #complete}.
   */
  public void answeredBy(String backendId, String model) {
    this.backendId = Objects.requireNonNull(backendId, "backendId");
    this.model = Objects.requireNonNull(model, "model");
  }

  /** Whether {@link #cancel()} was called (and the producer should stop). */
  @Override
  public boolean isCancelled() {
    return cancelRequested;
  }

  /** Whether at least one chunk reached the consumer's side (was emitted). */
  public synchronized boolean hasEmitted() {
    return firstChunkNanos >= 0;
  }

  /** Runs {@code action} once when the stream is cancelled (at once if it already was). */
  public void onCancel(Runnable action) {
    Objects.requireNonNull(action, "action");
    cancelHandlers.add(action);
    if (cancelRequested && cancelHandlers.remove(action)) {
      runHandler(action, "cancel");
    }
  }

  /** Whether the consumer keeps up: fewer than the high-water mark of chunks wait undelivered. */
  public boolean isWritable() {
    return buffered.get() < highWaterMark || cancelRequested || phase.get() == Phase.TERMINATED;
  }

  /** Runs {@code action} once, when the buffer next drops below the high-water mark (at once if it is). */
  public void onWritable(Runnable action) {
    Objects.requireNonNull(action, "action");
    writableHandlers.add(action);
    if (isWritable() && writableHandlers.remove(action)) {
      runHandler(action, "writable");
    }
  }

  /**
   * Blocks the producing thread until the consumer keeps up or the stream is cancelled. A
   * consumer that takes nothing for the stall limit cancels the stream (a warning is logged),
   * so the producer is never stuck behind a stream nobody reads.
   *
   * @throws BanterException if interrupted (the interrupt flag is kept)
   */
  public void awaitWritable() {
    long deadline = nanoTime.getAsLong() + stallLimitNanos;
    synchronized (writableLock) {
      int seen = buffered.get();
      while (!isWritable()) {
        long left = deadline - nanoTime.getAsLong();
        int now = buffered.get();
        if (now < seen) {
          seen = now;
          deadline = nanoTime.getAsLong() + stallLimitNanos;
          left = stallLimitNanos;
        }
        if (left <= 0) {
          LOG.warning("A stream of backend '" + backendId + "' was not read for "
              + TimeUnit.NANOSECONDS.toSeconds(stallLimitNanos) + " s; it is cancelled to free its backend.");
          cancel();
          return;
        }
        try {
          writableLock.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BanterException("interrupted while waiting for a slow stream consumer", backendId, e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- consumer side

  /**
   * The stream to give the caller in place of this emitter: the same stream, except that it is
   * cancelled when the garbage collector finds it unreachable before anyone consumed it. A caller
   * that dropped it can never read it, so the generation stops and frees its backend at the next
   * collection instead of at the stall limit (and whoever holds only its {@code completion()},
   * which a stream without a consumer never reaches, gets the cancelled answer).
   * A stream consumed by a listener is left to the listener; one consumed by an iterator is
   * cancelled when the iterator is dropped before the end (a loop left early without
   * {@code close()}).
   *
   * @throws IllegalStateException if called a second time
   */
  public ChatStream handle() {
    if (!handedOut.compareAndSet(false, true)) {
      throw new IllegalStateException("a stream has one handle, and this one was handed out already");
    }
    Handle h = new Handle();
    disarmAtEnd(Unreachable.watch(h, () -> {
      if (!consumed.get()) {
        abandoned("was dropped before anyone read it");
      }
    }));
    return h;
  }

  private void disarmAtEnd(Unreachable.Watch watch) {
    settled.whenComplete((r, e) -> watch.disarm());
  }

  private void abandoned(String what) {
    if (!cancelRequested && phase.get() != Phase.TERMINATED) {
      LOG.fine(() -> "A stream of backend '" + backendId + "' " + what + "; it is cancelled to free its backend.");
      cancel();
    }
  }

  @Override
  public void subscribe(ChatListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (!consumed.compareAndSet(false, true)) {
      throw new IllegalStateException("a ChatStream has one consumer, and this one already has one");
    }
    attach(listener);
  }

  private void attach(ChatListener l) {
    // onSubscribe runs before the listener is published, so no chunk or end can reach it first.
    try {
      l.onSubscribe(new Subscription());
    } catch (Throwable e) {
      listenerFailed(e);
    }
    this.listener = l;
    drain();
  }

  @Override
  public Iterator<ChatChunk> iterator() {
    BlockingIterator feed = new BlockingIterator();
    subscribe(feed);
    // The caller holds this view, the emitter only the feed: when the view is unreachable before
    // the end, nobody can read on.
    Iterator<ChatChunk> view = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return feed.hasNext();
      }

      @Override
      public ChatChunk next() {
        return feed.next();
      }
    };
    disarmAtEnd(Unreachable.watch(view, () -> abandoned("lost its iterator before the end")));
    return view;
  }

  @Override
  public CompletionStage<ChatResponse> completion() {
    return completion.thenApply(r -> r);
  }

  /**
   * The same outcome as {@link #completion()}, but earlier: it completes when the end is about to
   * reach the consumer, before the listener's {@code onComplete} or {@code onError} runs, so that
   * what is chained on it (history, metrics) is done when the consumer learns of the end. A stream
   * cancelled before anyone consumed it completes here as soon as the producer has ended.
   */
  public CompletionStage<ChatResponse> whenDone() {
    return settled.thenApply(r -> r);
  }

  @Override
  public ChatResponse await() {
    if (consumed.compareAndSet(false, true)) {
      attach(new Gatherer());
    }
    try {
      return completion.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof BanterException b) {
        throw b;
      }
      throw e;
    }
  }

  @Override
  public void cancel() {
    if (cancelRequested || phase.get() == Phase.TERMINATED) {
      return;
    }
    cancelRequested = true;
    phase.compareAndSet(Phase.RUNNING, Phase.CANCELLED);
    runCancelHandlers();
    signalWritable();
    drain();
  }

  // ---------------------------------------------------------------- delivery

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      ChatListener l = listener;
      Phase p = phase.get();
      if (p != Phase.TERMINATED) {
        if (cancelRequested) {
          dropBuffered();
        } else if (l != null) {
          deliver(l);
        }
        if (phase.get() == Phase.ENDED && (buffer.isEmpty() || cancelRequested)) {
          if (l != null) {
            terminate(l);
          } else if (cancelRequested) {
            // Nobody consumes it, and nobody may: observers learn of the end now; a consumer that
            // still comes gets its terminal signal when it subscribes.
            settle();
            finish(completion, outcome);
          }
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void deliver(ChatListener l) {
    boolean freed = false;
    while (!cancelRequested && phase.get() != Phase.TERMINATED) {
      long r = requested.get();
      if (r == 0) {
        break;
      }
      ChatChunk c = buffer.poll();
      if (c == null) {
        break;
      }
      buffered.decrementAndGet();
      freed = true;
      if (r != Long.MAX_VALUE) {
        requested.decrementAndGet();
      }
      try {
        l.onChunk(c);
      } catch (Throwable e) {
        listenerFailed(e);
      }
    }
    if (freed) {
      signalWritable();
    }
  }

  private void dropBuffered() {
    if (!buffer.isEmpty()) {
      buffer.clear();
      buffered.set(0);
      signalWritable();
    }
  }

  private void terminate(ChatListener l) {
    phase.set(Phase.TERMINATED);
    dropBuffered();
    signalWritable();
    settle();
    Outcome o = outcome;
    try {
      if (o.error() != null) {
        l.onError(o.error());
      } else {
        l.onComplete(o.response());
      }
    } catch (Throwable ignored) {
      // The listener's own failure cannot change the outcome any more.
    }
    finish(completion, o);
  }

  private void settle() {
    finish(settled, outcome);
  }

  private static void finish(CompletableFuture<ChatResponse> future, Outcome o) {
    if (o.error() != null) {
      future.completeExceptionally(o.error());
    } else {
      future.complete(o.response());
    }
  }

  /** A listener callback threw: the stream is cancelled and ends with an error naming what the listener threw. */
  private void listenerFailed(Throwable e) {
    if (!cancelRequested) {
      cancelRequested = true;
      phase.compareAndSet(Phase.RUNNING, Phase.CANCELLED);
      runCancelHandlers();
    }
    if (phase.getAndSet(Phase.TERMINATED) != Phase.TERMINATED) {
      dropBuffered();
      signalWritable();
      BanterException failure =
          new BanterException("the stream's listener threw " + e + "; the stream was cancelled", backendId, e);
      settled.completeExceptionally(failure);
      completion.completeExceptionally(failure);
    }
  }

  private void runCancelHandlers() {
    for (Runnable r : cancelHandlers) {
      if (cancelHandlers.remove(r)) {
        runHandler(r, "cancel");
      }
    }
  }

  /**
   * Runs a producer's handler. What it throws is logged: it must neither keep the other handlers
   * from running nor escape from a drain, which would leave the stream stuck.
   */
  private void runHandler(Runnable handler, String kind) {
    try {
      handler.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A " + kind + " handler of a stream of backend '" + backendId + "' threw; ignored", e);
    }
  }

  private void signalWritable() {
    synchronized (writableLock) {
      writableLock.notifyAll();
    }
    if (isWritable()) {
      for (Runnable r : writableHandlers) {
        if (writableHandlers.remove(r)) {
          runHandler(r, "writable");
        }
      }
    }
  }

  private synchronized ChatResponse buildResponse(FinishReason reason, Usage usage, Timings timings) {
    long end = nanoTime.getAsLong();
    int generated = usage == null ? 0 : usage.completionTokens();
    Timings t = timings != null
        ? timings
        : Timings.measured(startNanos, firstChunkNanos < 0 ? end : firstChunkNanos, end, generated);
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    for (Map.Entry<Integer, ToolCallParts> e : toolCalls.entrySet()) {
      calls.add(e.getValue().toToolCall(e.getKey()));
    }
    FinishReason finish = reason == FinishReason.STOP && !calls.isEmpty() ? FinishReason.TOOL_CALLS : reason;
    ChatResponse.Builder b = ChatResponse.builder()
        .message(Message.assistant(text.toString(), calls))
        .reasoning(reasoning.toString())
        .finishReason(finish)
        .logprobs(logprobs)
        .timings(t);
    if (!backendId.isEmpty()) {
      b.backendId(backendId);
    }
    if (!model.isEmpty()) {
      b.model(model);
    }
    if (usage != null) {
      b.usage(usage);
    }
    return b.build();
  }

  private static final class ToolCallParts {
    private String id = "";
    private String name = "";
    private final StringBuilder arguments = new StringBuilder();

    void add(ToolCallDelta d) {
      d.id().ifPresent(v -> id = v);
      d.name().ifPresent(v -> name = v);
      arguments.append(d.argumentsFragment());
    }

    ToolCall toToolCall(int index) {
      return new ToolCall(id.isEmpty() ? "call_" + index : id, name.isEmpty() ? "unknown_function" : name,
          arguments.toString());
    }
  }

  private final class Subscription implements ChatSubscription {
    @Override
    public void request(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("request(n) needs n > 0, got " + n);
      }
      requested.accumulateAndGet(n, (r, add) -> r == Long.MAX_VALUE || r + add < 0 ? Long.MAX_VALUE : r + add);
      drain();
    }

    @Override
    public void cancel() {
      ChatStreamEmitter.this.cancel();
    }
  }

  /** What {@link #handle()} gives the caller: the emitter's consumer side, and nothing that keeps it reachable. */
  private final class Handle implements ChatStream {
    @Override
    public void subscribe(ChatListener l) {
      ChatStreamEmitter.this.subscribe(l);
    }

    @Override
    public Iterator<ChatChunk> iterator() {
      return ChatStreamEmitter.this.iterator();
    }

    @Override
    public CompletionStage<ChatResponse> completion() {
      return ChatStreamEmitter.this.completion();
    }

    @Override
    public ChatResponse await() {
      return ChatStreamEmitter.this.await();
    }

    @Override
    public void cancel() {
      ChatStreamEmitter.this.cancel();
    }

    @Override
    public boolean isCancelled() {
      return ChatStreamEmitter.this.isCancelled();
    }

    @Override
    public String toString() {
      return "ChatStream{backend=" + backendId + ", model=" + model + ", " + phase.get() + '}';
    }
  }

  /** The consumer {@link #await()} attaches: it takes every chunk; the response already holds them. */
  private static final class Gatherer implements ChatListener {
    @Override
    public void onChunk(ChatChunk chunk) {}

    @Override
    public void onError(BanterException error) {}
  }

  private final class BlockingIterator implements ChatListener, Iterator<ChatChunk> {
    private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private ChatSubscription subscription;
    private ChatChunk next;
    private boolean done;

    @Override
    public void onSubscribe(ChatSubscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onChunk(ChatChunk chunk) {
      signals.add(chunk);
    }

    @Override
    public void onComplete(ChatResponse response) {
      signals.add(response);
    }

    @Override
    public void onError(BanterException error) {
      signals.add(error);
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done) {
        return false;
      }
      Object s;
      try {
        s = signals.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancel();
        throw new BanterException("interrupted while waiting for the next chunk; the stream was cancelled", backendId, e);
      }
      if (s instanceof ChatChunk c) {
        next = c;
        return true;
      }
      done = true;
      if (s instanceof BanterException e) {
        throw e;
      }
      return false;
    }

    @Override
    public ChatChunk next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the stream has ended");
      }
      ChatChunk c = next;
      next = null;
      subscription.request(1);
      return c;
    }
  }
}

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
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * registering {@link #onWritable(Runnable)}; {@code emit} itself never blocks.
 *
 * <pre>{@code
 * ChatStreamEmitter out = ChatStreamEmitter.create("echo", "echo-1");
 * executor.execute(() -> {
 *   for (String word : words) if (!out.emit(ChatChunk.ofText(word + " "))) break;
 *   out.complete(FinishReason.STOP, Usage.of(promptTokens, words.size()));
 * });
 * return out;
 * }</pre>
 */
public final class ChatStreamEmitter implements ChatStream {
  /** Buffered, undelivered chunks above which {@link #isWritable()} turns false. */
  public static final int DEFAULT_HIGH_WATER_MARK = 64;
  private static final Logger LOG = Logger.getLogger(ChatStreamEmitter.class.getName());

  private volatile String backendId;
  private volatile String model;
  private final LongSupplier nanoTime;
  private final int highWaterMark;
  private final long startNanos;

  private final Queue<ChatChunk> buffer = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicLong requested = new AtomicLong();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  // "ending" guards against a second complete/fail; "producerDone" is published only after the
  // final response or error is in place, so a concurrent drain never sees an end without its outcome.
  private final AtomicBoolean ending = new AtomicBoolean();
  private final AtomicBoolean producerDone = new AtomicBoolean();
  // "settled" completes first, so bookkeeping chained on whenDone() is finished before the consumer
  // sees the end; "completion" last, so await() returns after the listener's final callback.
  private final CompletableFuture<ChatResponse> settled = new CompletableFuture<>();
  private final CompletableFuture<ChatResponse> completion = new CompletableFuture<>();
  private final List<Runnable> cancelHandlers = new CopyOnWriteArrayList<>();
  private final List<Runnable> writableHandlers = new CopyOnWriteArrayList<>();
  private final Object writableLock = new Object();

  // Accumulated answer; guarded by "this".
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final Map<Integer, ToolCallParts> toolCalls = new TreeMap<>();
  private long firstChunkNanos = -1;

  // Terminal state, published by producerDone.
  private volatile ChatResponse finalResponse;
  private volatile BanterException finalError;
  private volatile ChatListener listener;
  private volatile boolean terminated;

  private ChatStreamEmitter(String backendId, String model, LongSupplier nanoTime, int highWaterMark) {
    this.backendId = Objects.requireNonNull(backendId, "backendId");
    this.model = Objects.requireNonNull(model, "model");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    if (highWaterMark < 1) {
      throw new IllegalArgumentException("highWaterMark must be >= 1, got " + highWaterMark);
    }
    this.highWaterMark = highWaterMark;
    this.startNanos = nanoTime.getAsLong();
  }

  /** An emitter for a stream answered by {@code model} of backend {@code backendId}. */
  public static ChatStreamEmitter create(String backendId, String model) {
    return new ChatStreamEmitter(backendId, model, System::nanoTime, DEFAULT_HIGH_WATER_MARK);
  }

  /**
   * An emitter with its own clock (nanosecond ticks, for measuring {@link Timings}) and buffer
   * limit.
   */
  public static ChatStreamEmitter create(String backendId, String model, LongSupplier nanoTime, int highWaterMark) {
    return new ChatStreamEmitter(backendId, model, nanoTime, highWaterMark);
  }

  // ---------------------------------------------------------------- producer side

  /**
   * Hands a chunk to the consumer (now, or when it asks for more). Never blocks.
   *
   * @return {@code false} when the stream was cancelled or already ended: stop producing
   * @throws IllegalStateException if called after {@link #complete} or {@link #fail}
   */
  public boolean emit(ChatChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (ending.get()) {
      throw new IllegalStateException("emit after the stream ended (backend " + backendId + ")");
    }
    if (cancelled.get()) {
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
    }
    buffered.incrementAndGet();
    buffer.offer(chunk);
    drain();
    return !cancelled.get();
  }

  /**
   * Ends the stream normally. After a cancel the reason becomes {@link FinishReason#CANCELLED}.
   * Timings are measured from this emitter's creation, first chunk and this call.
   *
   * @param usage the tokens used so far (also after a cancel)
   */
  public void complete(FinishReason reason, Usage usage) {
    complete(reason, usage, null);
  }

  /**
   * Ends the stream normally with timings the backend measured itself ({@code null}: measure).
   */
  public void complete(FinishReason reason, Usage usage, Timings timings) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(usage, "usage");
    if (!ending.compareAndSet(false, true)) {
      return;
    }
    finalResponse = buildResponse(cancelled.get() ? FinishReason.CANCELLED : reason, usage, timings);
    producerDone.set(true);
    drain();
  }

  /**
   * Ends the stream with an error. After a cancel, the error is taken for the consequence of the
   * cancel and the stream completes as cancelled instead.
   */
  public void fail(BanterException error) {
    Objects.requireNonNull(error, "error");
    if (!ending.compareAndSet(false, true)) {
      return;
    }
    if (cancelled.get()) {
      finalResponse = buildResponse(FinishReason.CANCELLED, Usage.empty(), null);
    } else {
      finalError = error;
    }
    producerDone.set(true);
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
    return cancelled.get();
  }

  /** Whether at least one chunk reached the consumer's side (was emitted). */
  public synchronized boolean hasEmitted() {
    return firstChunkNanos >= 0;
  }

  /** Runs {@code action} once when the stream is cancelled (at once if it already was). */
  public void onCancel(Runnable action) {
    Objects.requireNonNull(action, "action");
    cancelHandlers.add(action);
    if (cancelled.get() && cancelHandlers.remove(action)) {
      runHandler(action, "cancel");
    }
  }

  /** Whether the consumer keeps up: fewer than the high-water mark of chunks wait undelivered. */
  public boolean isWritable() {
    return buffered.get() < highWaterMark || cancelled.get() || terminated;
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
   * Blocks the producing thread until the consumer keeps up or the stream is cancelled.
   *
   * @throws BanterException if interrupted (the interrupt flag is kept)
   */
  public void awaitWritable() {
    synchronized (writableLock) {
      while (!isWritable()) {
        try {
          writableLock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BanterException("interrupted while waiting for a slow stream consumer", backendId, e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- consumer side

  @Override
  public void subscribe(ChatListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (!subscribed.compareAndSet(false, true)) {
      throw new IllegalStateException("a ChatStream has one consumer; this one is already consumed");
    }
    // onSubscribe runs before the listener is published, so no chunk or end can reach it first.
    try {
      listener.onSubscribe(new Subscription());
    } catch (RuntimeException e) {
      listenerFailed(e);
    }
    this.listener = listener;
    drain();
  }

  @Override
  public Iterator<ChatChunk> iterator() {
    BlockingIterator it = new BlockingIterator();
    subscribe(it);
    return it;
  }

  @Override
  public CompletionStage<ChatResponse> completion() {
    if (subscribed.compareAndSet(false, true)) {
      listener = chunk -> {};
      requested.set(Long.MAX_VALUE);
      drain();
    }
    return completion;
  }

  /**
   * The same outcome as {@link #completion()}, but observing only: it does not consume the stream.
   * It completes when the end is about to reach the consumer, before the listener's
   * {@code onComplete} or {@code onError} runs and before {@link #completion()} completes, so that
   * what is chained on it (history, metrics) is done when the consumer learns of the end. A stream
   * cancelled before anyone consumed it completes here as soon as the producer has ended.
   */
  public CompletionStage<ChatResponse> whenDone() {
    return settled.thenApply(r -> r);
  }

  @Override
  public ChatResponse await() {
    try {
      return completion().toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof BanterException) {
        throw (BanterException) e.getCause();
      }
      throw e;
    }
  }

  @Override
  public void cancel() {
    if (terminated) {
      return;
    }
    if (cancelled.compareAndSet(false, true)) {
      runCancelHandlers();
      signalWritable();
      drain();
    }
  }

  // ---------------------------------------------------------------- delivery

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      ChatListener l = listener;
      if (l == null) {
        if (cancelled.get() && producerDone.get()) {
          buffer.clear();
          buffered.set(0);
          settle();
        }
      } else if (!terminated) {
        boolean freed = false;
        while (!cancelled.get() && !terminated) {
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
          } catch (RuntimeException e) {
            listenerFailed(e);
          }
        }
        if (cancelled.get() && !buffer.isEmpty()) {
          buffer.clear();
          buffered.set(0);
          freed = true;
        }
        if (freed) {
          signalWritable();
        }
        if (!terminated && producerDone.get() && (buffer.isEmpty() || cancelled.get())) {
          terminate(l);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void terminate(ChatListener l) {
    terminated = true;
    buffer.clear();
    buffered.set(0);
    signalWritable();
    settle();
    BanterException error = finalError;
    if (error != null) {
      try {
        l.onError(error);
      } catch (RuntimeException ignored) {
        // the listener's own failure cannot change the outcome any more
      }
      completion.completeExceptionally(error);
    } else {
      ChatResponse response = finalResponse;
      try {
        l.onComplete(response);
      } catch (RuntimeException ignored) {
        // as above
      }
      completion.complete(response);
    }
  }

  private void settle() {
    BanterException error = finalError;
    if (error != null) {
      settled.completeExceptionally(error);
    } else {
      settled.complete(finalResponse);
    }
  }

  private void listenerFailed(RuntimeException e) {
    if (cancelled.compareAndSet(false, true)) {
      runCancelHandlers();
    }
    if (!terminated) {
      terminated = true;
      buffer.clear();
      buffered.set(0);
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
    Timings t = timings != null
        ? timings
        : Timings.measured(startNanos, firstChunkNanos < 0 ? end : firstChunkNanos, end, usage.completionTokens());
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    for (Map.Entry<Integer, ToolCallParts> e : toolCalls.entrySet()) {
      calls.add(e.getValue().toToolCall(e.getKey()));
    }
    FinishReason finish = reason == FinishReason.STOP && !calls.isEmpty() ? FinishReason.TOOL_CALLS : reason;
    return ChatResponse.builder()
        .message(Message.assistant(text.toString(), calls))
        .reasoning(reasoning.toString())
        .finishReason(finish)
        .usage(usage)
        .timings(t)
        .model(model)
        .backendId(backendId)
        .build();
  }

  private static final class ToolCallParts {
    private String id = "";
    private String name = "";
    private final StringBuilder arguments = new StringBuilder();

    void add(ToolCallDelta d) {
      if (!d.id().isEmpty()) {
        id = d.id();
      }
      if (!d.name().isEmpty()) {
        name = d.name();
      }
      arguments.append(d.argumentsFragment());
    }

    ToolCall toToolCall(int index) {
      String callId = id.isEmpty() ? "call_" + index : id;
      String fn = name.isEmpty() ? "unknown_function" : name;
      return new ToolCall(callId, fn, arguments.toString());
    }
  }

  private final class Subscription implements ChatSubscription {
    @Override
    public void request(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("request(n) needs n > 0, got " + n);
      }
      long r;
      long next;
      do {
        r = requested.get();
        if (r == Long.MAX_VALUE) {
          break;
        }
        next = r + n;
        if (next < 0) {
          next = Long.MAX_VALUE;
        }
      } while (!requested.compareAndSet(r, next));
      drain();
    }

    @Override
    public void cancel() {
      ChatStreamEmitter.this.cancel();
    }
  }

  private final class BlockingIterator implements ChatListener, Iterator<ChatChunk> {
    private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private ChatSubscription subscription;
    private Object next;
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
      if (s instanceof ChatChunk) {
        next = s;
        return true;
      }
      done = true;
      if (s instanceof BanterException) {
        throw (BanterException) s;
      }
      return false;
    }

    @Override
    public ChatChunk next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the stream has ended");
      }
      ChatChunk c = (ChatChunk) next;
      next = null;
      subscription.request(1);
      return c;
    }
  }
}

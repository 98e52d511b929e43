package dev.banter.core;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.Usage;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendLoad;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Setting;
import dev.banter.spi.Capability;
import dev.banter.spi.ChatStreamEmitter;
import dev.banter.spi.LoadReporting;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that plays a script: each call takes the next step (answer with tokens, fail at once,
 * fail after some tokens, stall). Counts calls, tokens emitted and tokens emitted after a cancel.
 *
 * <p>Only {@link #slowAnswer} plays on a thread of its own, token by token, waiting while the
 * consumer is behind. Every other step is played out before {@link #stream} returns: its tokens,
 * failure or end already wait in the stream when core subscribes, so core's time-to-first-token
 * and silence limits (which run on the real clock) never depend on when a thread gets scheduled.
 * A stall emits its tokens and then stays silent until the stream is cancelled.
 */
final class ScriptedBackend implements Backend, LoadReporting {
  /** What {@link #load()} reports; empty, as for a remote backend, unless a test sets it. */
  volatile Optional<BackendLoad> load = Optional.empty();

  @Override
  public Optional<BackendLoad> load() {
    return load;
  }

  interface Step {}

  static final class Answer implements Step {
    final List<String> tokens;
    final long tokenDelayMillis;
    /** Played token by token on a thread of its own (else all at once before stream() returns). */
    final boolean paced;

    Answer(List<String> tokens, long tokenDelayMillis, boolean paced) {
      this.tokens = tokens;
      this.tokenDelayMillis = tokenDelayMillis;
      this.paced = paced;
    }
  }

  static final class Fail implements Step {
    final BanterException error;
    final int afterTokens;

    Fail(BanterException error, int afterTokens) {
      this.error = error;
      this.afterTokens = afterTokens;
    }
  }

  static final class Stall implements Step {
    final int afterTokens;

    Stall(int afterTokens) {
      this.afterTokens = afterTokens;
    }
  }

  /** An answer whose tokens are all in the stream by the time stream() returns. */
  static Step answer(String... tokens) {
    return new Answer(List.of(tokens), 0, false);
  }

  /**
   * {@code count} tokens "t0 ", "t1 ", ... emitted from a thread of its own, {@code delayMillis}
   * apart, each only once the consumer keeps up.
   */
  static Step slowAnswer(long delayMillis, int count) {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      t.add("t" + i + " ");
    }
    return new Answer(t, delayMillis, true);
  }

  static Step fail(BanterException e) {
    return new Fail(e, 0);
  }

  static Step failAfter(int tokens, BanterException e) {
    return new Fail(e, tokens);
  }

  /** Emits "s0 ", "s1 ", ... ({@code afterTokens} of them), then nothing until cancelled. */
  static Step stall(int afterTokens) {
    return new Stall(afterTokens);
  }

  final String id;
  private final Deque<Step> script = new ArrayDeque<>();
  private Step repeat;
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger emitted = new AtomicInteger();
  final AtomicInteger emittedAfterCancel = new AtomicInteger();
  final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
  final CountDownLatch closed = new CountDownLatch(1);
  volatile int contextLength;
  /** The context window the model list reports (as an inference server's max_model_len), 0 for none. */
  volatile int listedContextLength;
  volatile boolean exactCount;

  ScriptedBackend(String id) {
    this.id = id;
  }

  synchronized ScriptedBackend then(Step... steps) {
    Collections.addAll(script, steps);
    return this;
  }

  /** The step played once the script is used up. */
  synchronized ScriptedBackend always(Step step) {
    this.repeat = step;
    return this;
  }

  private synchronized Step next() {
    Step s = script.poll();
    if (s == null) {
      s = repeat;
    }
    if (s == null) {
      throw new IllegalStateException("script of " + id + " is used up");
    }
    return s;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public BackendCapabilities capabilities() {
    return exactCount
        ? BackendCapabilities.of(known(contextLength), Capability.STREAMING, Capability.EXACT_TOKEN_COUNT)
        : BackendCapabilities.of(known(contextLength), Capability.STREAMING);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    calls.incrementAndGet();
    requests.add(request);
    Step s = next();
    if (s instanceof Fail fail) {
      throw fail.error;
    }
    if (s instanceof Stall) {
      throw new IllegalStateException("stall is for streams");
    }
    List<String> tokens = ((Answer) s).tokens;
    emitted.addAndGet(tokens.size());
    return ChatResponse.builder().text(String.join("", tokens)).usage(Usage.of(3, tokens.size()))
        .model(id + "-model").backendId(id).build();
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    calls.incrementAndGet();
    requests.add(request);
    Step s = next();
    ChatStreamEmitter out = ChatStreamEmitter.create(id, id + "-model");
    if (s instanceof Answer answer && answer.paced) {
      Thread t = new Thread(() -> playPaced(answer, out), id + "-script");
      t.setDaemon(true);
      t.start();
    } else {
      playAtOnce(s, out);
    }
    return out;
  }

  /** Emits without waiting (emit never blocks; the few tokens stay buffered until core reads them). */
  private void playAtOnce(Step s, ChatStreamEmitter out) {
    if (s instanceof Answer answer) {
      int sent = 0;
      for (String token : answer.tokens) {
        boolean more = emit(out, token);
        sent++;
        if (!more) {
          break;
        }
      }
      out.complete(FinishReason.STOP, Usage.of(3, sent));
    } else if (s instanceof Fail f) {
      for (int i = 0; i < f.afterTokens; i++) {
        emit(out, "p" + i + " ");
      }
      out.fail(f.error);
    } else {
      Stall st = (Stall) s;
      for (int i = 0; i < st.afterTokens; i++) {
        emit(out, "s" + i + " ");
      }
      // silent from here on; a cancel (core's timeout, or the caller) ends it
      out.onCancel(() -> out.complete(FinishReason.STOP, Usage.of(3, st.afterTokens)));
    }
  }

  private void playPaced(Answer a, ChatStreamEmitter out) {
    int sent = 0;
    try {
      for (String token : a.tokens) {
        if (a.tokenDelayMillis > 0) {
          Thread.sleep(a.tokenDelayMillis);
        }
        out.awaitWritable();
        boolean more = emit(out, token);
        sent++;
        if (!more) {
          break;
        }
      }
      out.complete(FinishReason.STOP, Usage.of(3, sent));
    } catch (InterruptedException e) {
      out.complete(FinishReason.CANCELLED, Usage.of(3, sent));
    }
  }

  private boolean emit(ChatStreamEmitter out, String token) {
    boolean cancelledBefore = out.isCancelled();
    boolean more = out.emit(ChatChunk.ofText(token));
    emitted.incrementAndGet();
    if (cancelledBefore) {
      emittedAfterCancel.incrementAndGet();
    }
    return more;
  }

  @Override
  public OptionalInt countTokens(List<Message> messages) {
    if (!exactCount) {
      return OptionalInt.empty();
    }
    int n = 0;
    for (Message m : messages) {
      n += 2 + m.content().split("\\s+").length;
    }
    return OptionalInt.of(n);
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(listedContextLength > 0 ? ModelInfo.of(id + "-model", "tests", listedContextLength)
        : ModelInfo.of(id + "-model", "tests"));
  }

  @Override
  public void close() {
    closed.countDown();
  }

  /** A provider handing out this very backend. */
  BackendProvider provider() {
    ScriptedBackend self = this;
    return new BackendProvider() {
      @Override
      public String id() {
        return self.id;
      }

      @Override
      public int spiVersion() {
        return SPI_VERSION;
      }

      @Override
      public List<Setting> settings() {
        return List.of();
      }

      @Override
      public Backend create(BackendConfig config) {
        return self;
      }
    };
  }

  private static java.util.OptionalInt known(int contextLength) {
    return contextLength > 0 ? java.util.OptionalInt.of(contextLength) : java.util.OptionalInt.empty();
  }
}

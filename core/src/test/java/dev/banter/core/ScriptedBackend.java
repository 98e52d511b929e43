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
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Capability;
import dev.banter.spi.ChatStreamEmitter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that plays a script: each call takes the next step (answer with tokens, fail at once,
 * fail after some tokens, stall). Counts calls, tokens emitted and tokens emitted after a cancel.
 */
final class ScriptedBackend implements Backend {
  interface Step {}

  static final class Answer implements Step {
    final List<String> tokens;
    final long tokenDelayMillis;

    Answer(List<String> tokens, long tokenDelayMillis) {
      this.tokens = tokens;
      this.tokenDelayMillis = tokenDelayMillis;
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

  static Step answer(String... tokens) {
    return new Answer(List.of(tokens), 0);
  }

  static Step slowAnswer(long delayMillis, int count) {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      t.add("t" + i + " ");
    }
    return new Answer(t, delayMillis);
  }

  static Step fail(BanterException e) {
    return new Fail(e, 0);
  }

  static Step failAfter(int tokens, BanterException e) {
    return new Fail(e, tokens);
  }

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
        ? BackendCapabilities.of(contextLength, Capability.STREAMING, Capability.EXACT_TOKEN_COUNT)
        : BackendCapabilities.of(contextLength, Capability.STREAMING);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    calls.incrementAndGet();
    requests.add(request);
    Step s = next();
    if (s instanceof Fail) {
      throw ((Fail) s).error;
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
    Thread t = new Thread(() -> play(s, out), id + "-script");
    t.setDaemon(true);
    t.start();
    return out;
  }

  private void play(Step s, ChatStreamEmitter out) {
    int sent = 0;
    try {
      if (s instanceof Answer) {
        Answer a = (Answer) s;
        for (String token : a.tokens) {
          if (a.tokenDelayMillis > 0) {
            Thread.sleep(a.tokenDelayMillis);
          }
          out.awaitWritable();
          boolean cancelledBefore = out.isCancelled();
          boolean more = out.emit(ChatChunk.ofText(token));
          emitted.incrementAndGet();
          if (cancelledBefore) {
            emittedAfterCancel.incrementAndGet();
          }
          sent++;
          if (!more) {
            break;
          }
        }
        out.complete(FinishReason.STOP, Usage.of(3, sent));
      } else if (s instanceof Fail) {
        Fail f = (Fail) s;
        for (int i = 0; i < f.afterTokens; i++) {
          out.emit(ChatChunk.ofText("p" + i + " "));
          emitted.incrementAndGet();
        }
        out.fail(f.error);
      } else {
        Stall st = (Stall) s;
        for (int i = 0; i < st.afterTokens; i++) {
          out.emit(ChatChunk.ofText("s" + i + " "));
          emitted.incrementAndGet();
        }
        CountDownLatch cancelled = new CountDownLatch(1);
        out.onCancel(cancelled::countDown);
        cancelled.await();
        out.complete(FinishReason.STOP, Usage.of(3, st.afterTokens));
      }
    } catch (InterruptedException e) {
      out.complete(FinishReason.CANCELLED, Usage.of(3, sent));
    }
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
    return List.of(ModelInfo.of(id + "-model", "tests"));
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
      public Backend create(BackendConfig config) {
        return self;
      }
    };
  }
}

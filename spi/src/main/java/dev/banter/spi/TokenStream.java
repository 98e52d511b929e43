package dev.banter.spi;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.Usage;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link TokenProducer} and turns its tokens into a {@link ChatStream}, doing what every
 * backend that generates text token by token would otherwise repeat: it waits while the consumer
 * is behind, stops when the stream is cancelled, ends the answer at the request's stop sequences
 * (never showing them) and at its {@code maxTokens}, and completes with the finish reason and the
 * usage. With it, a plugin's {@code stream} is its own generation logic and nothing else.
 * Thread-safe.
 *
 * <pre>{@code
 * public ChatStream stream(ChatRequest request) {
 *   List<String> words = answer(request);
 *   return TokenStream.start(id(), "echo-1", request, promptTokens(request), sink -> {
 *     for (String w : words) if (!sink.accept(w + " ")) return;
 *   });
 * }
 * }</pre>
 */
public final class TokenStream {
  private static final ExecutorService SHARED = Executors.newCachedThreadPool(new ProducerThreads());

  private TokenStream() {}

  /**
   * Starts {@code producer} on a shared pool of daemon threads.
   *
   * @param promptTokens the prompt's size in tokens, for the usage
   */
  public static ChatStream start(String backendId, String model, ChatRequest request, int promptTokens,
      TokenProducer producer) {
    return start(SHARED, backendId, model, request, promptTokens, producer);
  }

  /**
   * Starts {@code producer} on {@code executor}.
   *
   * @param promptTokens the prompt's size in tokens, for the usage
   * @throws dev.banter.api.BackendUnavailableException if the executor refuses the task (shut down)
   */
  public static ChatStream start(Executor executor, String backendId, String model, ChatRequest request,
      int promptTokens, TokenProducer producer) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(producer, "producer");
    if (promptTokens < 0) {
      throw new IllegalArgumentException("promptTokens must be >= 0, got " + promptTokens);
    }
    ChatStreamEmitter out = ChatStreamEmitter.create(backendId, model);
    Run run = new Run(out, backendId, request, promptTokens);
    try {
      executor.execute(() -> run.produce(producer));
    } catch (RejectedExecutionException e) {
      throw new BackendUnavailableException("Backend '" + backendId
          + "' cannot start an answer: its executor refused the task (was the backend closed?).", backendId, e);
    }
    return out.handle();
  }

  /** One answer being produced: the sink the producer writes to. */
  private static final class Run implements TokenSink {
    private final ChatStreamEmitter out;
    private final String backendId;
    private final StopSequences stops;
    private final int maxTokens;
    private final int promptTokens;
    private int tokens;
    private FinishReason finish = FinishReason.STOP;
    private boolean stopped;

    Run(ChatStreamEmitter out, String backendId, ChatRequest request, int promptTokens) {
      this.out = out;
      this.backendId = backendId;
      this.stops = StopSequences.of(request.options().stop());
      this.maxTokens = request.options().maxTokens().orElse(Integer.MAX_VALUE);
      this.promptTokens = promptTokens;
    }

    void produce(TokenProducer producer) {
      try {
        producer.produce(this);
        String held = stops.flush();
        if (!held.isEmpty() && !out.isCancelled()) {
          out.emit(ChatChunk.ofText(held));
        }
        out.complete(finish, Usage.of(promptTokens, tokens));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.cancel();
        out.complete(FinishReason.CANCELLED, Usage.of(promptTokens, tokens));
      } catch (BanterException e) {
        out.fail(e);
      } catch (Exception | Error e) {
        out.fail(new BanterException("Backend '" + backendId + "' failed while generating: " + e, backendId, e));
      }
    }

    @Override
    public boolean accept(String tokenText) {
      Objects.requireNonNull(tokenText, "tokenText");
      if (stopped || out.isCancelled()) {
        return false;
      }
      tokens++;
      out.awaitWritable();
      String shown = stops.append(tokenText);
      if (!shown.isEmpty() && !out.emit(ChatChunk.ofText(shown))) {
        return stop(FinishReason.CANCELLED);
      }
      if (stops.stopped()) {
        return stop(FinishReason.STOP);
      }
      if (tokens >= maxTokens) {
        return stop(FinishReason.LENGTH);
      }
      return !out.isCancelled();
    }

    private boolean stop(FinishReason reason) {
      finish = reason;
      stopped = true;
      return false;
    }
  }

  private static final class ProducerThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "banter-token-producer-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}

package dev.banter.samples.webchat;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendCapabilities;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Setting;
import dev.banter.spi.ChatStreamEmitter;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The backend {@value #ID}: another provider's backend whose next stream, when a test asks for it
 * with {@link #holdAfter}, passes its first pieces of text on and then holds the rest back until
 * the stream is cancelled. That is a model still writing for exactly as long as a test needs,
 * without a clock: a stop can never come "too late". If nothing cancels a held stream within
 * {@link #LET_GO} (well under core's idle limit), the rest is let through, so a stop that does not
 * work makes a test fail on what it sees instead of hanging. {@link #watchNext} holds nothing back
 * but tells when the model has ended its answer.
 */
final class HoldingProvider implements BackendProvider {
  static final String ID = "holding";
  static final Duration LET_GO = Duration.ofSeconds(30);

  /** One held stream, as the test sees it. */
  static final class Hold {
    final int pieces;
    /** The text passed on before the hold began (all of it, if the answer ended first). */
    final CompletableFuture<String> passed = new CompletableFuture<>();
    /** Completes when the held stream was cancelled. */
    final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    /** The whole text the model wrote, once it ended its answer and handed the end on. */
    final CompletableFuture<String> finished = new CompletableFuture<>();

    private Hold(int pieces) {
      this.pieces = pieces;
    }

    /** The text passed on before the hold, waiting for it at most {@code limit}. */
    String awaitPassed(Duration limit) {
      try {
        return passed.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("the held stream did not pass " + pieces + " pieces of text on within " + limit, e);
      }
    }

    /** The whole text of the answer, waiting at most {@code limit} for the model to end it. */
    String awaitFinished(Duration limit) {
      try {
        return finished.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("the model did not end its answer within " + limit, e);
      }
    }
  }

  private final BackendProvider inner;
  private final AtomicReference<Hold> next = new AtomicReference<>();

  private HoldingProvider(BackendProvider inner) {
    this.inner = inner;
  }

  /** Wraps the provider with id {@code backendId} found on the class path. */
  static HoldingProvider around(String backendId) {
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      if (p.id().equals(backendId)) {
        return new HoldingProvider(p);
      }
    }
    throw new IllegalStateException("no backend provider '" + backendId + "' on the class path");
  }

  /** Makes the next stream pass {@code pieces} pieces of text on, then hold the rest until cancelled. */
  Hold holdAfter(int pieces) {
    Hold hold = new Hold(pieces);
    if (!next.compareAndSet(null, hold)) {
      throw new IllegalStateException("a hold is already waiting for the next stream");
    }
    return hold;
  }

  /** Lets the next stream through untouched, but tells when its model has ended the answer. */
  Hold watchNext() {
    return holdAfter(Integer.MAX_VALUE);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public List<Setting> settings() {
    return inner.settings();
  }

  @Override
  public Backend create(BackendConfig config) {
    Backend backend = inner.create(config);
    return new Backend() {
      @Override
      public String id() {
        return ID;
      }

      @Override
      public BackendCapabilities capabilities() {
        return backend.capabilities();
      }

      @Override
      public ChatResponse chat(ChatRequest request) {
        return backend.chat(request);
      }

      @Override
      public ChatStream stream(ChatRequest request) {
        Hold hold = next.getAndSet(null);
        ChatStream source = backend.stream(request);
        return hold == null ? source : held(source, hold);
      }

      @Override
      public OptionalInt countTokens(List<Message> messages) {
        return backend.countTokens(messages);
      }

      @Override
      public List<ModelInfo> models() {
        return backend.models();
      }

      @Override
      public void close() {
        backend.close();
      }
    };
  }

  private static ChatStream held(ChatStream source, Hold hold) {
    ChatStreamEmitter out = ChatStreamEmitter.create(ID, "");
    source.subscribe(new ChatListener() {
      private ChatSubscription subscription;
      private final StringBuilder text = new StringBuilder();
      private int pieces;
      private boolean holding;

      @Override
      public void onSubscribe(ChatSubscription s) {
        subscription = s;
        out.onCancel(() -> {
          hold.cancelled.complete(null);
          s.cancel();
        });
        s.request(1);
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        if (!out.emit(chunk)) {
          return;
        }
        if (!chunk.text().isEmpty()) {
          text.append(chunk.text());
          pieces++;
        }
        if (holding) {
          return;
        }
        if (pieces < hold.pieces) {
          subscription.request(1);
          return;
        }
        holding = true;
        hold.passed.complete(text.toString());
        CompletableFuture.delayedExecutor(LET_GO.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
          if (!out.isCancelled()) {
            subscription.request(Long.MAX_VALUE);
          }
        });
      }

      @Override
      public void onComplete(ChatResponse response) {
        hold.passed.complete(text.toString());
        out.answeredBy(response.backendId().orElse(ID), response.model().orElse(""));
        response.usage().ifPresentOrElse(u -> out.complete(response.finishReason(), u),
            () -> out.complete(response.finishReason()));
        hold.finished.complete(text.toString());
      }

      @Override
      public void onError(BanterException error) {
        hold.passed.complete(text.toString());
        out.fail(error);
        hold.finished.completeExceptionally(error);
      }
    });
    return out;
  }
}

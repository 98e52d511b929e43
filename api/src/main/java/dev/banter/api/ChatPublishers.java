package dev.banter.api;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Adapts a {@link ChatStream} to {@link java.util.concurrent.Flow.Publisher}, for reactive
 * libraries on the JVM and on Android API 30+ (where {@code Flow} exists). Demand and
 * cancellation pass through unchanged. Thread-safe.
 *
 * <pre>{@code
 * Flow.Publisher<ChatChunk> publisher = ChatPublishers.toPublisher(model.stream(request));
 * publisher.subscribe(mySubscriber);
 * }</pre>
 */
@JvmOnly
public final class ChatPublishers {
  private ChatPublishers() {}

  /**
   * A publisher that accepts one subscriber; a second subscriber receives {@code onError} with an
   * {@link IllegalStateException}. Failures arrive as {@link BanterException}s; a cancelled stream
   * completes normally. A non-positive {@code request(n)} cancels the stream and signals an
   * {@link IllegalArgumentException}, as Reactive Streams rule 3.9 asks.
   */
  public static Flow.Publisher<ChatChunk> toPublisher(ChatStream stream) {
    Objects.requireNonNull(stream, "stream");
    AtomicBoolean subscribed = new AtomicBoolean();
    return subscriber -> {
      Objects.requireNonNull(subscriber, "subscriber");
      if (!subscribed.compareAndSet(false, true)) {
        subscriber.onSubscribe(new NoSubscription());
        subscriber.onError(new IllegalStateException("this ChatStream publisher accepts one subscriber only"));
        return;
      }
      stream.subscribe(new Bridge(subscriber));
    };
  }

  @JvmOnly
  private static final class NoSubscription implements Flow.Subscription {
    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }

  @JvmOnly
  private static final class Bridge implements ChatListener {
    private final Flow.Subscriber<? super ChatChunk> subscriber;
    private final AtomicBoolean terminated = new AtomicBoolean();

    Bridge(Flow.Subscriber<? super ChatChunk> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void onSubscribe(ChatSubscription subscription) {
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          if (n <= 0) {
            if (terminated.compareAndSet(false, true)) {
              subscription.cancel();
              subscriber.onError(new IllegalArgumentException("request(n) needs n > 0, got " + n));
            }
            return;
          }
          subscription.request(n);
        }

        @Override
        public void cancel() {
          terminated.set(true);
          subscription.cancel();
        }
      });
    }

    @Override
    public void onChunk(ChatChunk chunk) {
      if (!terminated.get()) {
        subscriber.onNext(chunk);
      }
    }

    @Override
    public void onComplete(ChatResponse response) {
      if (terminated.compareAndSet(false, true)) {
        subscriber.onComplete();
      }
    }

    @Override
    public void onError(BanterException error) {
      if (terminated.compareAndSet(false, true)) {
        subscriber.onError(error);
      }
    }
  }
}

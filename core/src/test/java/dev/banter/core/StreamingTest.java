package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatPublishers;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamingTest {
  private final ScriptedBackend backend = new ScriptedBackend("scripted");

  private ChatModel model() {
    return Banter.builder().backend("scripted").provider(backend.provider()).noDefaultPersona()
        .resilience(Resilience.none()).build();
  }

  @Test
  void a_slow_flow_subscriber_gets_no_more_than_it_asked_for_and_the_backend_is_held_back() throws Exception {
    backend.always(ScriptedBackend.slowAnswer(0, 500));
    ChatStream stream = model().stream("count to five hundred");
    AtomicLong outstanding = new AtomicLong();
    List<String> got = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    List<String> violations = new ArrayList<>();
    ChatPublishers.toPublisher(stream).subscribe(new Flow.Subscriber<ChatChunk>() {
      Flow.Subscription s;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        s = subscription;
        outstanding.set(1);
        s.request(1);
      }

      @Override
      public void onNext(ChatChunk item) {
        if (outstanding.decrementAndGet() < 0) {
          violations.add("unrequested chunk " + item.text());
        }
        got.add(item.text());
        if (got.size() == 10) {
          // pause: the backend must stop producing while nobody asks
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          assertTrue(backend.emitted.get() < 10 + 2 * 64 + 4, "backend ran ahead: " + backend.emitted.get());
        }
        outstanding.incrementAndGet();
        s.request(1);
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    done.get(30, TimeUnit.SECONDS);
    assertTrue(violations.isEmpty(), violations.toString());
    assertEquals(500, got.size());
    assertEquals("t0 ", got.get(0));
    assertEquals("t499 ", got.get(499));
  }

  @Test
  void cancel_through_the_flow_adapter_completes_the_stream_as_cancelled() throws Exception {
    backend.always(ScriptedBackend.slowAnswer(5, 300));
    ChatStream stream = model().stream("long");
    CompletableFuture<Void> done = new CompletableFuture<>();
    ChatPublishers.toPublisher(stream).subscribe(new Flow.Subscriber<ChatChunk>() {
      Flow.Subscription s;
      int n;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        s = subscription;
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ChatChunk item) {
        if (++n == 3) {
          s.cancel();
          done.complete(null);
        }
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {}
    });
    done.get(10, TimeUnit.SECONDS);
    ChatResponse r = stream.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    // The stream completes only after the backend's complete(), which follows its last emit.
    assertTrue(backend.emittedAfterCancel.get() <= 1);
  }

  @Test
  void closing_the_model_mid_stream_does_not_leave_the_stream_hanging() {
    backend.always(ScriptedBackend.slowAnswer(1, 40));
    ChatModel model = Banter.builder().backend("scripted").provider(backend.provider()).noDefaultPersona()
        .resilience(Resilience.builder().maxAttempts(1).noCircuitBreaker().idleTimeout(Duration.ofMinutes(1)).build())
        .build();
    ChatStream stream = model.stream("x");
    java.util.Iterator<ChatChunk> it = stream.iterator();
    assertTrue(it.hasNext());
    it.next();
    model.close();
    ChatResponse r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      while (it.hasNext()) {
        it.next();
      }
      return stream.await();
    }, "the stream never ended after the model was closed");
    assertEquals(FinishReason.CANCELLED, r.finishReason(), "closing the model ends its running streams");
    assertTrue(r.usage().orElseThrow().completionTokens() < 40, r.usage().toString());
  }

  @Test
  void timings_measure_first_token_and_rate() {
    backend.always(ScriptedBackend.slowAnswer(2, 20));
    ChatStream s = model().stream("x");
    s.forEach(c -> {});
    ChatResponse r = s.await();
    assertTrue(r.timings().orElseThrow().timeToFirstToken().compareTo(Duration.ZERO) > 0);
    assertTrue(r.timings().orElseThrow().total().compareTo(r.timings().orElseThrow().timeToFirstToken()) >= 0);
    assertTrue(r.timings().orElseThrow().tokensPerSecond().getAsDouble() > 0);
    assertEquals(20, r.usage().orElseThrow().completionTokens());
  }

  @Test
  void observers_see_request_first_token_chunks_and_completion_in_order() {
    backend.always(ScriptedBackend.answer("a", "b", "c"));
    List<String> events = new ArrayList<>();
    ChatModel model = Banter.builder().backend("scripted").provider(backend.provider()).persona("regular")
        .resilience(Resilience.none()).observer(new ChatObserver() {
          @Override
          public void onRequest(RequestInfo r) {
            events.add("request " + r.personaId().orElse("none"));
          }

          @Override
          public void onFirstToken(RequestInfo r, String b, Duration d) {
            events.add("first " + b);
          }

          @Override
          public void onChunk(RequestInfo r, ChatChunk c) {
            events.add("chunk " + c.text());
          }

          @Override
          public void onComplete(RequestInfo r, ChatResponse resp) {
            events.add("complete " + resp.text());
          }
        }).build();
    model.stream("x").await();
    assertEquals(List.of("request regular", "first scripted", "chunk a", "chunk b", "chunk c", "complete abc"), events);
    events.clear();
    model.chat("y");
    assertEquals(List.of("request regular", "first scripted", "complete abc"), events,
        "issue #17: a blocking chat reports its first token too");
  }
}

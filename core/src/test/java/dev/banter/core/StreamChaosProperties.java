package dev.banter.core;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue #17's chaos property: whatever mix of listener exceptions and Errors, cancels, closes and
 * backend faults hits a stream, at whatever point, the stream ends — its completion completes,
 * normally or with an error — and nothing waits for ever.
 */
class StreamChaosProperties {
  enum Listener { READS, THROWS_EXCEPTION, THROWS_ERROR, READS_NOTHING }

  enum Backend { ANSWERS, FAILS_AT_ONCE, FAILS_MIDWAY, STALLS, ANSWERS_SLOWLY }

  enum Interference { NONE, CANCEL, CLOSE_MODEL }

  @Provide
  Arbitrary<Listener> listeners() {
    return Arbitraries.of(Listener.class);
  }

  @Provide
  Arbitrary<Backend> backends() {
    return Arbitraries.of(Backend.class);
  }

  @Provide
  Arbitrary<Interference> interferences() {
    return Arbitraries.of(Interference.class);
  }

  @Property(tries = 120)
  void every_stream_ends_whatever_happens_to_it(@ForAll("listeners") Listener listener,
      @ForAll("backends") Backend fault, @ForAll("interferences") Interference interference,
      @ForAll @IntRange(min = 0, max = 4) int atChunk) throws Exception {
    ScriptedBackend backend = new ScriptedBackend("scripted");
    BanterException down = new BackendUnavailableException("down", "scripted", null);
    backend.always(switch (fault) {
      case ANSWERS -> ScriptedBackend.answer("a", "b", "c", "d", "e");
      case FAILS_AT_ONCE -> ScriptedBackend.fail(down);
      case FAILS_MIDWAY -> ScriptedBackend.failAfter(2, down);
      case STALLS -> ScriptedBackend.stall(2);
      case ANSWERS_SLOWLY -> ScriptedBackend.slowAnswer(5, 8);
    });
    ChatModel model = Banter.builder().backend("scripted").provider(backend.provider()).noDefaultPersona()
        .resilience(Resilience.builder().maxAttempts(1).noCircuitBreaker()
            .idleTimeout(java.time.Duration.ofSeconds(2)).build())
        .build();
    try {
      ChatStream stream = model.stream("hi");
      CompletableFuture<ChatResponse> ended = stream.completion().toCompletableFuture();
      int[] seen = {0};
      stream.subscribe(new ChatListener() {
        ChatSubscription s;

        @Override
        public void onSubscribe(ChatSubscription subscription) {
          s = subscription;
          if (listener != Listener.READS_NOTHING) {
            s.request(1);
          }
        }

        @Override
        public void onChunk(ChatChunk chunk) {
          if (seen[0]++ == atChunk) {
            switch (listener) {
              case THROWS_EXCEPTION -> throw new IllegalStateException("listener bug");
              case THROWS_ERROR -> throw new AssertionError("listener error");
              default -> { }
            }
            switch (interference) {
              case CANCEL -> stream.cancel();
              case CLOSE_MODEL -> model.close();
              default -> { }
            }
          }
          s.request(1);
        }

        @Override
        public void onError(BanterException error) {}
      });
      if (listener == Listener.READS_NOTHING || seen[0] <= atChunk) {
        switch (interference) {
          case CANCEL -> stream.cancel();
          case CLOSE_MODEL -> model.close();
          default -> { }
        }
      }
      if (listener == Listener.READS_NOTHING && interference == Interference.NONE) {
        stream.cancel();
      }
      try {
        ended.get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException expected) {
        // ending with an error is ending
      }
    } finally {
      model.close();
    }
  }
}

package dev.banter.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatSubscription;
import dev.banter.api.FinishReason;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChatStreamEmitterTest {
  @Test
  void chunks_arrive_in_order_and_the_response_accumulates_them() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.emit(ChatChunk.ofText("Hel"));
    e.emit(ChatChunk.ofReasoning("thinking"));
    e.emit(ChatChunk.ofText("lo"));
    e.complete(FinishReason.STOP, Usage.of(1, 2));
    StringBuilder seen = new StringBuilder();
    for (ChatChunk c : e) {
      seen.append(c.text());
    }
    ChatResponse r = e.await();
    assertEquals("Hello", seen.toString());
    assertEquals("Hello", r.text());
    assertEquals("thinking", r.reasoning());
    assertEquals(Optional.of("test"), r.backendId());
    assertEquals(Optional.of("m"), r.model());
  }

  @Test
  void tool_call_fragments_are_assembled_by_index_and_the_finish_becomes_tool_calls() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.emit(ChatChunk.ofToolCall(ToolCallDelta.start(0, "call_A", "get_weather", "")));
    e.emit(ChatChunk.ofToolCall(ToolCallDelta.start(1, "call_B", "get_time", "{}")));
    e.emit(ChatChunk.ofToolCall(ToolCallDelta.arguments(0, "{\"city\":")));
    e.emit(ChatChunk.ofToolCall(ToolCallDelta.arguments(0, "\"Oslo\"}")));
    e.complete(FinishReason.STOP, Usage.of(0, 0));
    ChatResponse r = e.await();
    assertEquals(List.of(new ToolCall("call_A", "get_weather", "{\"city\":\"Oslo\"}"),
        new ToolCall("call_B", "get_time", "{}")), r.message().toolCalls());
    assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
  }

  @Test
  void a_listener_gets_exactly_what_it_requests() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    for (int i = 0; i < 10; i++) {
      e.emit(ChatChunk.ofText("t" + i));
    }
    e.complete(FinishReason.STOP, Usage.of(1, 10));
    List<String> got = new ArrayList<>();
    ChatSubscription[] sub = new ChatSubscription[1];
    AtomicInteger completions = new AtomicInteger();
    e.subscribe(new ChatListener() {
      @Override
      public void onError(BanterException error) {}

      @Override
      public void onSubscribe(ChatSubscription s) {
        sub[0] = s;
        s.request(3);
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        got.add(chunk.text());
      }

      @Override
      public void onComplete(ChatResponse response) {
        completions.incrementAndGet();
      }
    });
    assertEquals(List.of("t0", "t1", "t2"), got);
    assertEquals(0, completions.get(), "the end waits behind undelivered chunks");
    assertTrue(e.isWritable(), "seven undelivered chunks stay below the high-water mark");
    sub[0].request(100);
    assertEquals(10, got.size());
    assertEquals(1, completions.get());
    assertThrows(IllegalArgumentException.class, () -> sub[0].request(0));
  }

  @Test
  void cancel_stops_the_producer_and_completes_with_the_partial_text() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    AtomicInteger cancels = new AtomicInteger();
    e.onCancel(cancels::incrementAndGet);
    assertTrue(e.emit(ChatChunk.ofText("partial ")));
    e.cancel();
    e.cancel();
    assertEquals(1, cancels.get());
    assertFalse(e.emit(ChatChunk.ofText("more")), "emit reports the cancel");
    e.complete(FinishReason.STOP, Usage.of(4, 1));
    ChatResponse r = e.await();
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertEquals("partial ", r.text());
    assertEquals(Optional.of(Usage.of(4, 1)), r.usage());
    assertTrue(e.isCancelled());
  }

  @Test
  void a_stream_cancelled_before_anyone_read_it_settles_when_the_producer_ends() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.emit(ChatChunk.ofText("unread"));
    e.cancel();
    e.complete(FinishReason.STOP, Usage.of(2, 1));
    CompletableFuture<ChatResponse> done = e.whenDone().toCompletableFuture();
    assertTrue(done.isDone(), "nobody will read the end of a cancelled, unread stream; whenDone must not wait for it");
    assertEquals(FinishReason.CANCELLED, done.join().finishReason());
    assertEquals(FinishReason.CANCELLED, e.await().finishReason());
  }

  @Test
  void when_done_settles_before_the_consumer_sees_the_end() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    List<String> order = new ArrayList<>();
    e.whenDone().thenRun(() -> order.add("whenDone"));
    e.subscribe(new ChatListener() {
      @Override
      public void onError(BanterException error) {}

      @Override
      public void onChunk(ChatChunk chunk) {}

      @Override
      public void onComplete(ChatResponse response) {
        order.add("listener");
      }
    });
    e.completion().thenRun(() -> order.add("completion"));
    e.complete(FinishReason.STOP, Usage.of(0, 0));
    assertEquals(List.of("whenDone", "listener", "completion"), order);
  }

  @Test
  void a_throwing_cancel_handler_does_not_keep_the_others_from_running() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    AtomicInteger ran = new AtomicInteger();
    e.onCancel(() -> {
      throw new IllegalStateException("connection already closed");
    });
    e.onCancel(ran::incrementAndGet);
    e.cancel();
    assertEquals(1, ran.get());
    e.complete(FinishReason.STOP, Usage.of(0, 0));
    assertEquals(FinishReason.CANCELLED, e.await().finishReason());
  }

  @Test
  void a_throwing_writable_handler_does_not_stall_delivery() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m", System::nanoTime, 1, ChatStreamEmitter.DEFAULT_STALL_LIMIT);
    List<String> got = new ArrayList<>();
    ChatSubscription[] sub = new ChatSubscription[1];
    e.subscribe(new ChatListener() {
      @Override
      public void onError(BanterException error) {}

      @Override
      public void onSubscribe(ChatSubscription s) {
        sub[0] = s;
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        got.add(chunk.text());
      }
    });
    e.emit(ChatChunk.ofText("a"));
    e.onWritable(() -> {
      throw new IllegalStateException("event loop closed");
    });
    sub[0].request(1);
    e.emit(ChatChunk.ofText("b"));
    sub[0].request(1);
    e.complete(FinishReason.STOP, Usage.of(0, 0));
    assertEquals(List.of("a", "b"), got);
    assertEquals("ab", e.await().text());
  }

  @Test
  void a_failure_after_cancel_is_taken_for_the_cancel() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.emit(ChatChunk.ofText("x"));
    e.cancel();
    e.fail(new BackendUnavailableException("connection closed", "test", null));
    assertEquals(FinishReason.CANCELLED, e.await().finishReason());
  }

  @Test
  void a_failure_reaches_the_iterator_after_the_chunks_before_it() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.emit(ChatChunk.ofText("a"));
    e.fail(new BackendUnavailableException("reset", "test", null));
    Iterator<ChatChunk> it = e.iterator();
    assertTrue(it.hasNext());
    assertEquals("a", it.next().text());
    BanterException thrown = assertThrows(BackendUnavailableException.class, it::hasNext);
    assertEquals("reset", thrown.getMessage());
    assertThrows(BackendUnavailableException.class, e::await);
  }

  @Test
  void a_second_consumer_is_refused() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.subscribe(ChatListener.of(c -> {}, error -> {}));
    assertThrows(IllegalStateException.class, () -> e.subscribe(ChatListener.of(c -> {}, error -> {})));
    assertThrows(IllegalStateException.class, e::iterator);
    assertThrows(IllegalStateException.class, e::iterator);
  }

  @Test
  void emit_after_the_end_is_a_programming_error() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.complete(FinishReason.STOP, Usage.of(0, 0));
    assertThrows(IllegalStateException.class, () -> e.emit(ChatChunk.ofText("late")));
  }

  @Test
  void a_throwing_listener_cancels_the_stream_and_fails_the_completion() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.subscribe(ChatListener.of(c -> {
      throw new IllegalStateException("boom");
    }, error -> {}));
    assertFalse(e.emit(ChatChunk.ofText("x")));
    assertTrue(e.isCancelled());
    BanterException ex = assertThrows(BanterException.class, e::await);
    assertTrue(ex.getMessage().contains("boom"));
  }

  @Test
  void the_producer_sees_when_the_consumer_falls_behind_and_when_it_catches_up() throws Exception {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m", System::nanoTime, 4, ChatStreamEmitter.DEFAULT_STALL_LIMIT);
    ChatSubscription[] sub = new ChatSubscription[1];
    e.subscribe(new ChatListener() {
      @Override
      public void onError(BanterException error) {}

      @Override
      public void onSubscribe(ChatSubscription s) {
        sub[0] = s;
      }

      @Override
      public void onChunk(ChatChunk chunk) {}
    });
    for (int i = 0; i < 4; i++) {
      e.emit(ChatChunk.ofText("x"));
    }
    assertFalse(e.isWritable());
    CountDownLatch writable = new CountDownLatch(1);
    e.onWritable(writable::countDown);
    assertEquals(1, writable.getCount());
    sub[0].request(2);
    assertTrue(writable.await(1, TimeUnit.SECONDS));
    assertTrue(e.isWritable());
  }

  @Test
  void a_producer_blocked_on_a_slow_consumer_resumes_when_it_reads() throws Exception {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m", System::nanoTime, 2, ChatStreamEmitter.DEFAULT_STALL_LIMIT);
    CompletableFuture<Integer> produced = CompletableFuture.supplyAsync(() -> {
      int n = 0;
      for (int i = 0; i < 50; i++) {
        e.awaitWritable();
        if (!e.emit(ChatChunk.ofText("."))) {
          break;
        }
        n++;
      }
      e.complete(FinishReason.STOP, Usage.of(1, n));
      return n;
    });
    int read = 0;
    for (ChatChunk c : e) {
      read++;
    }
    assertEquals(50, read);
    assertEquals(50, produced.get(5, TimeUnit.SECONDS));
  }

  @Test
  void an_error_thrown_by_a_listener_ends_the_stream_like_an_exception() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.subscribe(ChatListener.of(c -> {
      throw new StackOverflowError("deep");
    }, error -> {}));
    assertFalse(e.emit(ChatChunk.ofText("x")));
    e.cancel();
    BanterException ex = assertThrows(BanterException.class, e::await);
    assertTrue(ex.getMessage().contains("StackOverflowError"), ex.getMessage());
    assertTrue(e.completion().toCompletableFuture().isCompletedExceptionally());
  }

  @Test
  void a_consumer_arriving_after_a_cancelled_stream_ended_still_gets_the_end() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.emit(ChatChunk.ofText("x"));
    e.fail(new BackendUnavailableException("down", "test", null));
    e.cancel();
    assertTrue(e.completion().toCompletableFuture().isDone(), "observers learn of the end at once");
    List<String> signals = new ArrayList<>();
    e.subscribe(ChatListener.of(c -> signals.add("chunk"), error -> signals.add("error")));
    assertEquals(List.of("error"), signals, "the late consumer gets its terminal signal, and no dropped chunk");
  }

  @Test
  void completion_observes_without_consuming() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    CompletableFuture<ChatResponse> observed = e.completion().toCompletableFuture();
    e.emit(ChatChunk.ofText("a"));
    e.complete(FinishReason.STOP, Usage.of(1, 1));
    assertFalse(observed.isDone(), "nobody consumed the stream yet");
    List<String> got = new ArrayList<>();
    for (ChatChunk c : e) {
      got.add(c.text());
    }
    assertEquals(List.of("a"), got, "completion() left the chunks to the consumer");
    assertEquals("a", observed.join().text());
  }

  @Test
  void await_consumes_a_stream_nobody_consumes_and_waits_for_one_that_is_consumed() {
    ChatStreamEmitter alone = ChatStreamEmitter.create("test", "m");
    alone.emit(ChatChunk.ofText("x"));
    alone.complete(FinishReason.STOP, Usage.of(1, 1));
    assertEquals("x", alone.await().text());
    assertThrows(IllegalStateException.class, alone::iterator, "await() made itself the consumer");

    ChatStreamEmitter read = ChatStreamEmitter.create("test", "m");
    Iterator<ChatChunk> it = read.iterator();
    read.emit(ChatChunk.ofText("y"));
    read.complete(FinishReason.STOP, Usage.of(1, 1));
    assertEquals("y", it.next().text());
    assertFalse(it.hasNext());
    assertEquals("y", read.await().text());
  }

  @Test
  void a_stream_nobody_reads_is_cancelled_after_the_stall_limit_and_frees_its_producer() throws Exception {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m", System::nanoTime, 2, Duration.ofMillis(200));
    e.emit(ChatChunk.ofText("a"));
    e.emit(ChatChunk.ofText("b"));
    assertFalse(e.isWritable());
    CompletableFuture<Void> producer = CompletableFuture.runAsync(e::awaitWritable);
    producer.get(10, TimeUnit.SECONDS);
    assertTrue(e.isCancelled(), "the producer came back because the stream was cancelled");
    assertFalse(e.emit(ChatChunk.ofText("c")));
    e.complete(FinishReason.STOP, Usage.of(1, 2));
    assertEquals(FinishReason.CANCELLED, e.whenDone().toCompletableFuture().join().finishReason());
  }

  @Test
  void a_consumer_that_reads_slowly_but_steadily_is_not_taken_for_a_stalled_one() throws Exception {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m", System::nanoTime, 1, Duration.ofMillis(300));
    CompletableFuture<Integer> produced = CompletableFuture.supplyAsync(() -> {
      int n = 0;
      for (int i = 0; i < 6; i++) {
        e.awaitWritable();
        if (!e.emit(ChatChunk.ofText("."))) {
          break;
        }
        n++;
      }
      e.complete(FinishReason.STOP, Usage.of(1, n));
      return n;
    });
    int read = 0;
    for (ChatChunk c : e) {
      Thread.sleep(100);
      read++;
    }
    assertEquals(6, read);
    assertEquals(6, produced.get(10, TimeUnit.SECONDS));
    assertFalse(e.isCancelled());
  }

  @Test
  void without_usage_the_response_has_none_and_still_its_timings() {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    e.emit(ChatChunk.ofText("a"));
    e.complete(FinishReason.STOP);
    ChatResponse r = e.await();
    assertEquals(Optional.empty(), r.usage());
    assertTrue(r.timings().isPresent());
  }

  @Property(tries = 200)
  void any_demand_pattern_delivers_every_chunk_once_in_order(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 5) Integer> demands,
      @ForAll @IntRange(min = 0, max = 60) int chunks) {
    ChatStreamEmitter e = ChatStreamEmitter.create("test", "m");
    for (int i = 0; i < chunks; i++) {
      e.emit(ChatChunk.ofText(Integer.toString(i)));
    }
    e.complete(FinishReason.STOP, Usage.of(0, 0));
    List<String> got = new ArrayList<>();
    ChatSubscription[] sub = new ChatSubscription[1];
    AtomicInteger ends = new AtomicInteger();
    e.subscribe(new ChatListener() {
      @Override
      public void onError(BanterException error) {}

      @Override
      public void onSubscribe(ChatSubscription s) {
        sub[0] = s;
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        got.add(chunk.text());
      }

      @Override
      public void onComplete(ChatResponse response) {
        ends.incrementAndGet();
      }
    });
    int requested = 0;
    for (int d : demands) {
      sub[0].request(d);
      requested += d;
      assertEquals(Math.min(requested, chunks), got.size());
    }
    sub[0].request(Long.MAX_VALUE);
    assertEquals(chunks, got.size());
    for (int i = 0; i < chunks; i++) {
      assertEquals(Integer.toString(i), got.get(i));
    }
    assertEquals(1, ends.get(), "exactly one end");
  }
}

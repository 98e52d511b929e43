package dev.banter.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.FinishReason;
import dev.banter.api.Usage;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #17: a stream its caller dropped is cancelled once the garbage collector finds it
 * unreachable, so its generation stops; a stream someone still consumes is not. Each test drops
 * its reference, then collects until a weak reference to the dropped object has cleared.
 */
@Timeout(60)
class UnreachableStreamTest {
  /** Collects until {@code gone} cleared, then gives the watcher thread time to act on it. */
  private static void collect(WeakReference<?> gone) throws InterruptedException {
    for (int i = 0; i < 200 && gone.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(null, gone.get(), "the dropped object was collected");
  }

  private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      System.gc();
      Thread.sleep(10);
    }
    return true;
  }

  private static ChatStreamEmitter producing() {
    ChatStreamEmitter out = ChatStreamEmitter.create("test", "m");
    out.emit(ChatChunk.ofText("Hello"));
    return out;
  }

  @Test
  void a_handle_dropped_before_anyone_read_it_cancels_the_stream() throws Exception {
    ChatStreamEmitter out = producing();
    WeakReference<ChatStream> handle = new WeakReference<>(out.handle());
    collect(handle);
    assertTrue(within(5000, out::isCancelled), "the producer learns that nobody will read");
    out.complete(FinishReason.STOP, Usage.of(3, 1));
    assertEquals(FinishReason.CANCELLED, out.whenDone().toCompletableFuture().get(5, TimeUnit.SECONDS).finishReason());
  }

  @Test
  void an_iterator_dropped_before_the_end_cancels_the_stream() throws Exception {
    ChatStreamEmitter out = producing();
    ChatStream stream = out.handle();
    Iterator<ChatChunk> it = stream.iterator();
    assertEquals("Hello", it.next().text());
    WeakReference<Iterator<ChatChunk>> dropped = new WeakReference<>(it);
    it = null;
    collect(dropped);
    assertTrue(within(5000, out::isCancelled), "the loop was left without close()");
    assertFalse(stream.completion().toCompletableFuture().isDone() && !stream.isCancelled());
  }

  @Test
  void a_stream_consumed_by_a_listener_is_not_cancelled_when_its_handle_is_dropped() throws Exception {
    ChatStreamEmitter out = producing();
    StringBuilder seen = new StringBuilder();
    ChatStream handle = out.handle();
    handle.subscribe(ChatListener.of(c -> seen.append(c.text()), e -> { }));
    WeakReference<ChatStream> gone = new WeakReference<>(handle);
    handle = null;
    collect(gone);
    assertFalse(within(300, out::isCancelled), "the listener is the consumer; the handle was only the way in");
    out.emit(ChatChunk.ofText(" there"));
    out.complete(FinishReason.STOP, Usage.of(3, 2));
    assertEquals("Hello there", seen.toString());
  }

  @Test
  void whoever_holds_only_the_completion_of_a_dropped_stream_gets_the_cancelled_answer() throws Exception {
    ChatStreamEmitter out = producing();
    ChatStream handle = out.handle();
    CompletionStage<ChatResponse> done = handle.completion();
    WeakReference<ChatStream> gone = new WeakReference<>(handle);
    handle = null;
    collect(gone);
    assertTrue(within(5000, out::isCancelled), "without a consumer the completion could never come");
    out.complete(FinishReason.STOP, Usage.of(3, 1));
    ChatResponse r = done.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertEquals("Hello", r.text());
  }

  @Test
  void an_iterator_read_to_the_end_leaves_nothing_to_cancel_and_a_handle_is_handed_out_once() throws Exception {
    ChatStreamEmitter out = producing();
    out.complete(FinishReason.STOP, Usage.of(3, 1));
    ChatStream stream = out.handle();
    StringBuilder text = new StringBuilder();
    for (ChatChunk c : stream) {
      text.append(c.text());
    }
    assertEquals("Hello", text.toString());
    assertEquals(FinishReason.STOP, stream.await().finishReason());
    assertThrows(IllegalStateException.class, out::handle);
  }
}

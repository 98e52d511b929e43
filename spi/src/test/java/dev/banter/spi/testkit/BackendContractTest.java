package dev.banter.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.spi.Backend;
import dev.banter.spi.Capability;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every Banter backend owes its callers. A backend's test class extends this and
 * supplies the backend (and, where its answers need it, requests that produce a longer answer);
 * the tests here then hold for local models, HTTP backends and plugins alike.
 *
 * <pre>{@code
 * class ElizaBackendContractTest extends BackendContractTest {
 *   protected Backend createBackend() { return new ElizaProvider().create(BackendConfig.builder("eliza").build()); }
 * }
 * }</pre>
 */
public abstract class BackendContractTest {
  /** Generous, for slow CI machines; no test relies on it for timing. */
  protected static final long TIMEOUT_SECONDS = 60;

  protected Backend backend;

  /** A new backend for each test. */
  protected abstract Backend createBackend();

  /** A request the backend answers with a non-empty text. */
  protected ChatRequest simpleRequest() {
    return ChatRequest.of("Hello! How are you today?");
  }

  /** A request whose answer spans several chunks (more than one token). */
  protected ChatRequest longRequest() {
    return ChatRequest.builder().user("Tell me a long story about a robot who learns to laugh.")
        .options(GenerationOptions.builder().maxTokens(64).build()).build();
  }

  /** Whether the backend ends an answer at {@code maxTokens} with {@link FinishReason#LENGTH}. */
  protected boolean honoursMaxTokens() {
    return true;
  }

  @BeforeEach
  void createTheBackend() {
    backend = createBackend();
  }

  @AfterEach
  void closeTheBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void chat_returns_an_assistant_message_with_text() {
    ChatResponse r = backend.chat(simpleRequest());
    assertEquals(Role.ASSISTANT, r.message().role());
    assertFalse(r.text().isEmpty(), "the answer text is empty");
    assertTrue(r.finishReason() == FinishReason.STOP || r.finishReason() == FinishReason.LENGTH,
        "unexpected finish reason " + r.finishReason());
    assertEquals(Optional.of(backend.id()), r.backendId());
  }

  @Test
  void stream_chunks_concatenate_to_the_completion_text() throws Exception {
    ChatStream stream = backend.stream(longRequest());
    StringBuilder seen = new StringBuilder();
    AtomicInteger chunks = new AtomicInteger();
    for (ChatChunk c : stream) {
      seen.append(c.text());
      chunks.incrementAndGet();
    }
    ChatResponse r = stream.completion().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(seen.toString(), r.text());
    assertTrue(chunks.get() > 1, "a long answer should arrive in more than one chunk, got " + chunks.get());
    assertTrue(r.usage().orElseThrow().completionTokens() > 0, "usage should count the generated tokens: " + r.usage());
  }

  @Test
  void a_slow_listener_never_receives_more_than_it_requested() throws Exception {
    ChatStream stream = backend.stream(longRequest());
    AtomicLong outstanding = new AtomicLong();
    AtomicReference<String> violation = new AtomicReference<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    stream.subscribe(new ChatListener() {
      ChatSubscription s;

      @Override
      public void onSubscribe(ChatSubscription subscription) {
        s = subscription;
        outstanding.set(1);
        s.request(1);
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        if (outstanding.decrementAndGet() < 0) {
          violation.set("received a chunk that was not requested");
        }
        outstanding.incrementAndGet();
        s.request(1);
      }

      @Override
      public void onComplete(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(BanterException error) {
        done.completeExceptionally(error);
      }
    });
    done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(null, violation.get());
  }

  @Test
  void cancel_ends_the_stream_and_no_chunk_follows() throws Exception {
    ChatStream stream = backend.stream(longRequest());
    AtomicInteger afterCancel = new AtomicInteger();
    AtomicReference<Boolean> cancelled = new AtomicReference<>(false);
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    stream.subscribe(new ChatListener() {
      ChatSubscription s;

      @Override
      public void onSubscribe(ChatSubscription subscription) {
        s = subscription;
        s.request(1);
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        if (cancelled.get()) {
          afterCancel.incrementAndGet();
        }
        cancelled.set(true);
        s.cancel();
      }

      @Override
      public void onComplete(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(BanterException error) {
        done.completeExceptionally(error);
      }
    });
    ChatResponse r = done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(0, afterCancel.get(), "chunks arrived after cancel()");
    assertTrue(r.finishReason() == FinishReason.CANCELLED || stream.isCancelled());
  }

  @Test
  void max_tokens_ends_the_answer_with_length() {
    if (!honoursMaxTokens()) {
      return;
    }
    ChatRequest r = longRequest().toBuilder()
        .options(longRequest().options().toBuilder().maxTokens(2).build()).build();
    ChatResponse response = backend.chat(r);
    assertEquals(FinishReason.LENGTH, response.finishReason());
    assertTrue(response.usage().orElseThrow().completionTokens() <= 2, "usage " + response.usage());
  }

  @Test
  void a_stream_has_one_consumer() {
    ChatStream stream = backend.stream(simpleRequest());
    stream.subscribe(ChatListener.of(chunk -> {}, error -> {}));
    assertThrows(IllegalStateException.class, () -> stream.subscribe(ChatListener.of(chunk -> {}, error -> {})));
    stream.cancel();
  }

  @Test
  void models_are_listed() {
    assertFalse(backend.models().isEmpty(), "a backend lists at least the model it serves");
  }

  @Test
  void an_exact_token_count_is_offered_when_declared() {
    OptionalInt n = backend.countTokens(List.of(Message.user("Hello there, general Kenobi.")));
    if (backend.capabilities().has(Capability.EXACT_TOKEN_COUNT)) {
      assertTrue(n.isPresent() && n.getAsInt() > 0, "EXACT_TOKEN_COUNT declared but countTokens gave " + n);
    }
  }

  @Test
  void close_is_idempotent() {
    Backend b = createBackend();
    b.close();
    assertDoesNotThrow(b::close, "a second close() must have no effect");
  }
}

package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import dev.banter.api.ConfigurationException;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.ModelLoadException;
import dev.banter.api.ResponseFormat;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.model.Model;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendLoad;
import dev.banter.spi.Capability;
import dev.banter.spi.ChatStreamEmitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend on the demo model: prefix reuse, limits, cancel, concurrency, errors. */
class LocalBackendTest {
  private static final GenerationOptions GREEDY = GenerationOptions.builder().temperature(0).build();

  @TempDir
  Path dir;

  private static ChatRequest joke() {
    return ChatRequest.builder().system("You are Banter, a witty assistant.").user("Tell me a joke.")
        .options(GREEDY).build();
  }

  @Test
  void greedy_chat_gives_llama_cpps_answer_and_stops_at_eos() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatResponse r = b.chat(joke());
      // llama.cpp's greedy continuation of the joke prompt: 17 tokens, then EOS (id 2).
      int[] expected = {396, 301, 344, 267, 343, 364, 389, 362, 601, 274, 262, 368, 273, 424, 746, 993, 540};
      try (Model m = Model.load(Demo.model(), 1)) {
        assertEquals(m.tokenizer().decode(expected), r.text());
      }
      assertEquals(FinishReason.STOP, r.finishReason());
      assertEquals(18, r.usage().orElseThrow().completionTokens(), "17 tokens and the EOS");
      assertEquals(27, r.usage().orElseThrow().promptTokens());
      assertTrue(r.timings().orElseThrow().promptTokensPerSecond().getAsDouble() > 0, r.timings().toString());
      assertTrue(r.timings().orElseThrow().tokensPerSecond().getAsDouble() > 0, r.timings().toString());
      assertTrue(r.timings().orElseThrow().total().compareTo(r.timings().orElseThrow().timeToFirstToken()) >= 0);
    }
  }

  @Test
  void a_second_turn_evaluates_only_the_tokens_it_does_not_share_with_the_first() {
    try (LocalBackend b = Demo.backend(Demo.config().set("slots", "1"))) {
      ChatRequest first = joke();
      ChatResponse r1 = b.chat(first);
      assertEquals(0, r1.usage().orElseThrow().cachedPromptTokens());
      assertEquals(r1.usage().orElseThrow().promptTokens(), b.evaluatedPromptTokens());

      ChatRequest second = first.toBuilder().assistant(r1.text()).user("Another one, please.").build();
      long before = b.evaluatedPromptTokens();
      ChatResponse r2 = b.chat(second);
      long evaluated = b.evaluatedPromptTokens() - before;
      System.out.println("second turn: " + r2.usage() + ", evaluated " + evaluated);
      assertTrue(r2.usage().orElseThrow().cachedPromptTokens() >= r1.usage().orElseThrow().promptTokens() - 2,
          "the first turn's prompt should be reused: " + r2.usage());
      assertEquals(r2.usage().orElseThrow().promptTokens() - r2.usage().orElseThrow().cachedPromptTokens(), evaluated);
      assertTrue(evaluated < r2.usage().orElseThrow().promptTokens() / 2, "evaluated " + evaluated + " of " + r2.usage());
    }
  }

  @Test
  void the_same_request_twice_reuses_the_prompt_and_answers_the_same() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatRequest r = ChatRequest.builder().user("What is the meaning of life?")
          .options(GenerationOptions.builder().seed(3).maxTokens(24).build()).build();
      ChatResponse a = b.chat(r);
      long before = b.evaluatedPromptTokens();
      ChatResponse c = b.chat(r);
      assertEquals(2, b.evaluatedPromptTokens() - before, "all but the last two prompt tokens are reused");
      assertEquals(a.usage().orElseThrow().promptTokens() - 2, c.usage().orElseThrow().cachedPromptTokens());
      assertEquals(a.text(), c.text());
    }
  }

  @Test
  void a_prompt_longer_than_the_context_fails_before_any_work_naming_both_sizes() {
    try (LocalBackend b = Demo.backend(Demo.config().set("context", "64"))) {
      StringBuilder longText = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        longText.append("blah ");
      }
      ChatRequest r = ChatRequest.of(longText.toString());
      int promptTokens = b.countTokens(r.messages()).getAsInt();
      ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class, () -> b.stream(r));
      assertEquals(promptTokens, e.promptTokens().getAsInt());
      assertEquals(64, e.contextLimit().getAsInt());
      assertTrue(e.getMessage().contains(String.valueOf(promptTokens)) && e.getMessage().contains("64"),
          e.getMessage());
      assertEquals(0, b.evaluatedPromptTokens());
      assertThrows(ContextLengthExceededException.class, () -> b.chat(r));
    }
  }

  @Test
  void generation_stops_with_length_when_the_context_is_full() {
    try (LocalBackend b = Demo.backend(Demo.config().set("context", "24"))) {
      ChatRequest r = ChatRequest.builder().user("Tell me a story.")
          .options(GenerationOptions.builder().seed(11).temperature(1.0).minP(0).topK(0).build()).build();
      ChatResponse resp = b.chat(r);
      assertTrue(resp.finishReason() == FinishReason.LENGTH || resp.finishReason() == FinishReason.STOP);
      if (resp.finishReason() == FinishReason.LENGTH) {
        assertEquals(24, resp.usage().orElseThrow().promptTokens() + resp.usage().orElseThrow().completionTokens());
      }
      assertTrue(resp.usage().orElseThrow().promptTokens() + resp.usage().orElseThrow().completionTokens() <= 24, resp.usage().toString());
    }
  }

  @Test
  void warming_up_at_start_changes_no_answer() {
    String plain;
    try (LocalBackend b = Demo.backend(Demo.config())) {
      plain = b.chat(joke()).text();
    }
    try (LocalBackend b = Demo.backend(Demo.config().set("warm-up", "true"))) {
      assertEquals(plain, b.chat(joke()).text());
      assertTrue(b.chat(joke()).usage().orElseThrow().cachedPromptTokens() > 0,
          "the warm-up's session is thrown away; the slots keep the requests' caches");
    }
  }

  @Test
  void max_tokens_ends_the_answer_with_length_after_exactly_that_many_tokens() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatResponse r = b.chat(joke().toBuilder().options(GREEDY.toBuilder().maxTokens(5).build()).build());
      assertEquals(FinishReason.LENGTH, r.finishReason());
      assertEquals(5, r.usage().orElseThrow().completionTokens());
    }
  }

  /**
   * The listener holds the generating thread inside {@code onChunk} while the test thread cancels.
   * Chunks produced before the subscription are delivered on the subscribing thread, which must not
   * be held: the hold waits for the first chunk the generating thread delivers itself (a run that
   * finished before the subscription is tried again with another seed).
   */
  @Test
  void cancel_from_another_thread_stops_generation_within_one_token() throws Exception {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      for (int seed = 5; seed < 10; seed++) {
        if (cancelWhileTheGeneratorIsHeld(b, seed)) {
          return;
        }
      }
      throw new AssertionError("every run ended before its generating thread delivered a chunk");
    }
  }

  /** Returns false if no chunk came from the generating thread (nothing to cancel). */
  private static boolean cancelWhileTheGeneratorIsHeld(LocalBackend b, long seed) throws Exception {
    ChatRequest r = ChatRequest.builder().user("Tell me a long story.")
        .options(GenerationOptions.builder().seed(seed).maxTokens(200).build()).build();
    Thread testThread = Thread.currentThread();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    AtomicInteger chunks = new AtomicInteger();
    AtomicInteger heldAt = new AtomicInteger();
    AtomicInteger afterCancel = new AtomicInteger();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    ChatStream stream = b.stream(r);
    stream.subscribe(new ChatListener() {
      @Override
      public void onSubscribe(ChatSubscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        if (cancelled.getCount() == 0) {
          afterCancel.incrementAndGet();
        }
        int n = chunks.incrementAndGet();
        if (Thread.currentThread() != testThread && held.getCount() > 0) {
          heldAt.set(n);
          held.countDown();
          try {
            cancelled.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void onComplete(ChatResponse response) {
        done.complete(response);
        held.countDown();
      }

      @Override
      public void onError(BanterException error) {
        done.completeExceptionally(error);
        held.countDown();
      }
    });
    assertTrue(held.await(30, TimeUnit.SECONDS));
    if (heldAt.get() == 0) {
      done.get(30, TimeUnit.SECONDS);
      return false;
    }
    stream.cancel();
    cancelled.countDown();
    ChatResponse resp = done.get(30, TimeUnit.SECONDS);
    assertEquals(FinishReason.CANCELLED, resp.finishReason());
    assertEquals(0, afterCancel.get(), "no chunk after cancel");
    int produced = resp.usage().orElseThrow().completionTokens();
    assertTrue(produced - heldAt.get() <= 1, "tokens produced after the cancel: " + (produced - heldAt.get()));
    return true;
  }

  @Test
  void issue17_streams_dropped_unread_are_cancelled_after_the_stall_limit_and_free_their_slots() throws Exception {
    try (LocalBackend b = Demo.backend(Demo.config().set("slots", "2").set("stall-limit", "300ms"))) {
      ChatRequest story = ChatRequest.builder().user("Tell me a long story.")
          .options(GenerationOptions.builder().seed(10).maxTokens(200).build()).build();
      List<ChatStream> dropped = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // 87 tokens, more than the 64 chunks a stream buffers: each generator waits for a reader.
        dropped.add(b.stream(story));
      }
      ChatRequest joke = ChatRequest.builder().user("Tell me a joke.")
          .options(GenerationOptions.builder().seed(5).maxTokens(8).build()).build();
      ChatResponse answer = CompletableFuture.supplyAsync(() -> b.chat(joke)).get(60, TimeUnit.SECONDS);
      assertTrue(answer.usage().orElseThrow().completionTokens() > 0, "the backend answers again");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (dropped.stream().anyMatch(s -> !s.isCancelled()) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000);
      }
      for (ChatStream s : dropped) {
        assertTrue(s.isCancelled(), "every dropped stream is cancelled by the stall limit");
      }
    }
  }

  @Test
  void issue17_streams_dropped_unread_are_cancelled_when_unreachable_long_before_the_stall_limit() throws Exception {
    try (LocalBackend b = Demo.backend(Demo.config().set("slots", "2").set("stall-limit", "10m"))) {
      ChatRequest story = ChatRequest.builder().user("Tell me a long story.")
          .options(GenerationOptions.builder().seed(10).maxTokens(200).build()).build();
      List<java.lang.ref.WeakReference<ChatStream>> dropped = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        dropped.add(new java.lang.ref.WeakReference<>(b.stream(story)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((b.load().orElseThrow().busySlots() > 0 || b.load().orElseThrow().queued() > 0)
          && System.nanoTime() < deadline) {
        System.gc();
        LockSupport.parkNanos(20_000_000);
      }
      assertTrue(dropped.stream().allMatch(r -> r.get() == null), "the streams were collected");
      assertEquals(0, b.load().orElseThrow().busySlots(), "every dropped generation stopped and freed its slot");
      ChatRequest joke = ChatRequest.builder().user("Tell me a joke.")
          .options(GenerationOptions.builder().seed(5).maxTokens(8).build()).build();
      ChatResponse answer = CompletableFuture.supplyAsync(() -> b.chat(joke)).get(60, TimeUnit.SECONDS);
      assertTrue(answer.usage().orElseThrow().completionTokens() > 0, "the backend answers again");
    }
  }

  @Test
  void the_load_reports_busy_slots_queued_requests_and_cached_tokens() throws Exception {
    try (LocalBackend b = Demo.backend(Demo.config().set("slots", "1").set("context", "256"))) {
      assertEquals(BackendLoad.of(0, 1, 0, 0, 256), b.load().orElseThrow(), "nothing has run yet");
      ChatRequest story = ChatRequest.builder().user("Tell me a long story.")
          .options(GenerationOptions.builder().seed(10).maxTokens(200).build()).build();
      // Unread, the first stream fills its buffer and holds the only slot; the others queue.
      List<ChatStream> streams = List.of(b.stream(story), b.stream(story), b.stream(story));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      BackendLoad load = b.load().orElseThrow();
      while ((load.busySlots() < 1 || load.queued() < 2 || load.cachedTokens() < 64) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000);
        load = b.load().orElseThrow();
      }
      assertEquals(1, load.busySlots(), load.toString());
      assertEquals(2, load.queued(), load.toString());
      assertTrue(load.cachedTokens() >= 64 && load.cachedTokens() <= 256, load.toString());
      streams.forEach(ChatStream::cancel);
      for (ChatStream s : streams) {
        s.completion().handle((r, e) -> r).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      while ((b.load().orElseThrow().busySlots() > 0 || b.load().orElseThrow().queued() > 0)
          && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000);
      }
      BackendLoad idle = b.load().orElseThrow();
      assertEquals(0, idle.busySlots(), idle.toString());
      assertEquals(0, idle.queued(), idle.toString());
      assertTrue(idle.cachedTokens() > 0, "the idle slot keeps its cache for the next turn: " + idle);
    }
  }

  @Test
  void a_new_conversation_takes_a_free_slot_instead_of_evicting_one_that_only_shares_the_template() {
    try (LocalBackend b = Demo.backend(Demo.config().set("slots", "2"))) {
      GenerationOptions o = GenerationOptions.builder().seed(4).maxTokens(8).build();
      ChatRequest alice = ChatRequest.builder().user("Tell me a joke about cats.").options(o).build();
      ChatResponse first = b.chat(alice);
      b.chat(ChatRequest.builder().user("Who are you?").options(o).build());
      ChatRequest again = ChatRequest.builder().messages(alice.messages()).message(first.message())
          .user("Another one.").options(o).build();
      int cached = b.chat(again).usage().orElseThrow().cachedPromptTokens();
      assertTrue(cached >= first.usage().orElseThrow().promptTokens() - 1,
          "the second turn finds the first turn's cache, which the other conversation did not evict: " + cached);
    }
  }

  @Test
  void a_new_conversation_starts_from_the_system_prompt_another_slot_holds_and_answers_as_alone() {
    String persona = "You are Marvin, a gloomy robot with a brain the size of a planet who answers every "
        + "question briefly, sighs a lot, and never forgets to mention the pain in all the diodes down his left side.";
    GenerationOptions o = GenerationOptions.builder().seed(5).maxTokens(8).build();
    // A long first question: the system prompt is less than half of what its slot then holds, so
    // the second conversation does not take that slot over but a free one.
    ChatRequest first = ChatRequest.builder().system(persona).user("Tell me a joke about cats, the kind that "
        + "sit on keyboards at night and knock cups off tables in the morning, chase red dots across the floor, "
        + "sleep in boxes far too small for them and stare at walls where nothing is, then ignore their owners "
        + "completely until it is time for dinner.").options(o).build();
    ChatRequest second = ChatRequest.builder().system(persona).user("What is the weather like?").options(o).build();
    ChatResponse alone;
    try (LocalBackend b = Demo.backend(Demo.config().set("slots", "1"))) {
      alone = b.chat(second);
    }
    try (LocalBackend b = Demo.backend(Demo.config().set("slots", "2"))) {
      b.chat(first);
      ChatResponse seeded = b.chat(second);
      int cached = seeded.usage().orElseThrow().cachedPromptTokens();
      assertTrue(cached >= 30, "the free slot starts from the system prompt the other slot holds: " + cached);
      assertEquals(alone.message().content(), seeded.message().content(), "a copied prefix answers as an evaluated one");
      ChatResponse firstAgain = b.chat(ChatRequest.builder().messages(first.messages()).options(o).build());
      assertTrue(firstAgain.usage().orElseThrow().cachedPromptTokens() >= cached,
          "the donor slot keeps its own conversation");
    }
  }

  @Test
  void a_cancelled_stream_that_waits_for_a_slow_consumer_ends() throws Exception {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatRequest r = ChatRequest.builder().user("Tell me a long story.")
          .options(GenerationOptions.builder().seed(10).maxTokens(200).build()).build();
      // This story runs to 87 tokens, more than the 64 chunks the emitter buffers.
      ChatStream stream = b.stream(r);
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      stream.subscribe(new ChatListener() {
        @Override
        public void onSubscribe(ChatSubscription s) {
          // Asks for nothing: the generator fills the buffer and waits.
        }

        @Override
        public void onChunk(ChatChunk chunk) {}

        @Override
        public void onComplete(ChatResponse response) {
          done.complete(response);
        }

        @Override
        public void onError(BanterException error) {
          done.completeExceptionally(error);
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long before = -1;
      long now = b.load().orElseThrow().cachedTokens();
      while ((now < 64 || now != before) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        before = now;
        now = b.load().orElseThrow().cachedTokens();
      }
      assertTrue(now >= 64 && now == before, "the generator fills the buffer and waits, its cache still: " + now);
      assertEquals(1, b.load().orElseThrow().busySlots());
      stream.cancel();
      ChatResponse response = done.get(30, TimeUnit.SECONDS);
      assertEquals(FinishReason.CANCELLED, response.finishReason());
      assertTrue(response.usage().orElseThrow().completionTokens() < 87, "cut short: " + response.usage());
    }
  }

  @Test
  void eight_concurrent_conversations_get_the_tokens_they_get_alone() throws Exception {
    List<ChatRequest> requests = new ArrayList<>();
    String[] questions = {"Tell me a joke.", "What is love?", "Why is the sky blue?", "Say something wise.",
        "Who are you?", "What day is it?", "Give me advice.", "Tell me about cats."};
    for (int i = 0; i < questions.length; i++) {
      requests.add(ChatRequest.builder().user(questions[i])
          .options(GenerationOptions.builder().seed(100 + i).temperature(0.9).maxTokens(24).build()).build());
    }
    List<String> alone = new ArrayList<>();
    try (LocalBackend b = Demo.backend(Demo.config().set("threads", "2").set("slots", "4"))) {
      for (ChatRequest r : requests) {
        alone.add(b.chat(r).text());
      }
    }
    try (LocalBackend b = Demo.backend(Demo.config().set("threads", "2").set("slots", "4"))) {
      List<ChatStream> streams = new ArrayList<>();
      for (ChatRequest r : requests) {
        streams.add(b.stream(r));
      }
      for (int i = 0; i < streams.size(); i++) {
        ChatResponse resp = CompletableFuture.supplyAsync(streams.get(i)::await).get(60, TimeUnit.SECONDS);
        assertEquals(alone.get(i), resp.text(), "conversation " + i);
      }
    }
  }

  @Test
  void streamed_chunks_concatenate_to_the_chat_answer_for_the_same_seed() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatRequest r = ChatRequest.builder().user("Tell me about robots.")
          .options(GenerationOptions.builder().seed(42).maxTokens(40).build()).build();
      String chat = b.chat(r).text();
      StringBuilder streamed = new StringBuilder();
      for (ChatChunk c : b.stream(r)) {
        streamed.append(c.text());
      }
      assertEquals(chat, streamed.toString());
      assertFalse(chat.isEmpty());
    }
  }

  @Test
  void a_stop_sequence_ends_the_answer_without_showing_it() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatResponse full = b.chat(joke());
      String text = full.text();
      String stop = text.substring(text.length() / 2, text.length() / 2 + 3);
      ChatResponse cut = b.chat(joke().toBuilder().options(GREEDY.toBuilder().stop(stop).build()).build());
      assertEquals(text.substring(0, text.indexOf(stop)), cut.text());
      assertEquals(FinishReason.STOP, cut.finishReason());
    }
  }

  @Test
  void count_tokens_gives_the_prompt_size_of_a_chat() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      assertTrue(b.capabilities().has(Capability.EXACT_TOKEN_COUNT));
      assertEquals(27, b.countTokens(joke().messages()).getAsInt());
      assertEquals(27, b.chat(joke()).usage().orElseThrow().promptTokens());
    }
  }

  @Test
  void capabilities_and_models_describe_the_configured_context() {
    try (LocalBackend b = Demo.backend(Demo.config().set("context", "128"))) {
      assertEquals(128, b.capabilities().contextLength().getAsInt());
      assertTrue(b.capabilities().has(Capability.STREAMING) && b.capabilities().has(Capability.SEED)
          && b.capabilities().has(Capability.STOP_SEQUENCES));
      assertEquals("banter-demo-fortunes-q8_0.gguf", b.models().get(0).id());
      assertEquals(128, b.models().get(0).contextLength().getAsInt());
    }
    try (LocalBackend b = Demo.backend(Demo.config())) {
      assertEquals(256, b.capabilities().contextLength().getAsInt(), "the model's trained context, below 4096");
    }
  }

  @Test
  void a_schema_the_engine_cannot_enforce_is_refused_as_an_invalid_request_naming_the_keyword() {
    try (LocalBackend b = Demo.backend(Demo.config())) {
      ChatRequest r = joke().toBuilder().responseFormat(ResponseFormat.jsonSchema("s",
          "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":\"^a+$\"}}}", true)).build();
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> b.stream(r));
      assertEquals("responseFormat", e.parameter().get());
      assertTrue(e.getMessage().contains("#/properties/id/pattern"), e.getMessage());
    }
  }

  @Test
  void a_template_that_raises_is_an_invalid_request_carrying_its_reason() {
    String template = "{% for m in messages %}{% if (m['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant') }}{% endif %}"
        + "{{ m['content'] }}{% endfor %}";
    Path file = GgufCopy.copy(Demo.model(), dir.resolve("raising.gguf"),
        Collections.singletonMap("tokenizer.chat_template", GgufValue.ofString(template)));
    try (LocalBackend b = Demo.backend(Demo.config().set("model", file.toString()))) {
      ChatRequest twoUsers = ChatRequest.builder().user("a").user("b").build();
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> b.chat(twoUsers));
      assertTrue(e.getMessage().contains("Conversation roles must alternate"), e.getMessage());
      assertThrows(InvalidRequestException.class, () -> b.countTokens(twoUsers.messages()));
      ChatResponse accepted = b.chat(ChatRequest.builder().user("Hi")
          .options(GREEDY.toBuilder().maxTokens(3).build()).build());
      assertTrue(accepted.usage().orElseThrow().completionTokens() > 0, "a conversation the template accepts is answered");
    }
  }

  @Test
  void a_missing_model_setting_is_a_configuration_error_naming_it() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> new LocalBackendProvider().create(BackendConfig.builder("local").build()));
    assertEquals("model", e.field().get());
  }

  @Test
  void an_out_of_range_setting_is_a_configuration_error_naming_it() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Demo.backend(Demo.config().set("slots", "0")));
    assertEquals("slots", e.field().get());
  }

  @Test
  void a_missing_model_file_fails_to_load_with_its_path() {
    Path missing = dir.resolve("nope.gguf");
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> Demo.backend(Demo.config().set("model", missing.toString())));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void a_closed_backend_refuses_requests_and_closing_twice_is_harmless() {
    LocalBackend b = Demo.backend(Demo.config());
    b.close();
    b.close();
    assertThrows(BackendUnavailableException.class, () -> b.chat(joke()));
  }

  @Test
  void closing_cancels_running_answers_and_fails_requests_still_waiting_for_a_slot() throws Exception {
    LocalBackend b = Demo.backend(Demo.config().set("slots", "1"));
    ChatRequest slow = ChatRequest.builder().user("Tell me a long story.")
        .options(GenerationOptions.builder().seed(5).maxTokens(200).build()).build();
    // The story ends after 47 tokens, soon enough to finish before close() on a fast machine. So
    // the answer is held in its first chunk until close() cancels it; holding the only slot until
    // the listener is in place makes that chunk arrive on the generation thread.
    Slots.Slot held = b.slots().acquire(new int[0]);
    ChatStream running = b.stream(slow);
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<ChatResponse> ended = new CompletableFuture<>();
    running.subscribe(new ChatListener() {
      @Override
      public void onSubscribe(ChatSubscription s) {
        s.request(1);
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        started.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!running.isCancelled() && System.nanoTime() < deadline) {
          LockSupport.parkNanos(100_000);
        }
      }

      @Override
      public void onComplete(ChatResponse response) {
        ended.complete(response);
      }

      @Override
      public void onError(BanterException error) {
        ended.completeExceptionally(error);
      }
    });
    b.slots().release(held);
    assertTrue(started.await(30, TimeUnit.SECONDS));
    ChatStream waiting = b.stream(joke());
    b.close();
    assertThrows(BackendUnavailableException.class, waiting::await);
    ChatResponse r = ended.get(30, TimeUnit.SECONDS);
    assertEquals(FinishReason.CANCELLED, r.finishReason());
    assertTrue(r.usage().orElseThrow().completionTokens() < 47, "cut short: " + r.usage());
  }

  @Test
  void a_request_a_thread_takes_from_the_queue_after_close_fails_as_unavailable() {
    LocalBackend b = Demo.backend(Demo.config().set("slots", "1"));
    int[] prompt = b.model().tokenizer().encode("Hi", true, false);
    b.close();
    // What a generation thread does when it takes a queued request while close() is under way,
    // before close() drains the queue.
    ChatStreamEmitter out = ChatStreamEmitter.create("local", "demo");
    new Generation(b, out, prompt, 0, GREEDY, System.nanoTime(), null, null).run();
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, out::await);
    assertTrue(e.getMessage().contains("closed before this request started"), e.getMessage());
  }

  @Test
  void a_model_without_a_chat_template_is_prompted_in_chatml() {
    Path file = GgufCopy.copy(Demo.resource("gguf/tiny-llama-f32.gguf"), dir.resolve("no-template.gguf"),
        Collections.singletonMap("tokenizer.chat_template", null));
    try (Model m = Model.load(file, 1)) {
      ChatPrompt p = ChatPrompt.of(m);
      assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
          p.render(List.of(Message.user("Hi")), List.of()));
      int[] tokens = p.tokens(List.of(Message.user("Hi")), List.of());
      assertEquals(1, tokens[0], "BOS");
      assertEquals(638, tokens[1], "<|im_start|> as one control token");
    }
  }

  @Test
  void a_template_that_writes_bos_does_not_double_it() {
    String template = "{{ bos_token }}{% for m in messages %}{{ m['role'] + ': ' + m['content'] + '\\n' }}{% endfor %}";
    Path file = GgufCopy.copy(Demo.model(), dir.resolve("bos.gguf"),
        Map.of("tokenizer.chat_template", GgufValue.ofString(template)));
    try (Model m = Model.load(file, 1)) {
      int[] tokens = ChatPrompt.of(m).tokens(List.of(Message.user("Hi")), List.of());
      assertEquals(1, tokens[0]);
      assertTrue(tokens[1] != 1, "BOS once");
      assertArrayEquals(m.tokenizer().encode("user: Hi\n", true, true), tokens);
    }
  }

  @Test
  void roles_and_the_generation_prompt_reach_the_template() {
    try (Model m = Model.load(Demo.resource("gguf/tiny-llama-f32.gguf"), 1)) {
      String text = ChatPrompt.of(m).render(List.of(Message.system("S"), Message.user("U"),
          Message.assistant("A")), List.of());
      assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n"
          + "<|im_start|>assistant\nA<|im_end|>\n<|im_start|>assistant\n", text);
    }
  }

  @Test
  void tool_calls_tool_results_and_tools_reach_the_template() {
    String template = "{% for t in tools %}[{{ t.function.name }}:{{ t.function.parameters.type }}]{% endfor %}"
        + "{% for m in messages %}{% if m.tool_calls %}{% for c in m.tool_calls %}"
        + "{{ c.id }}={{ c.function.name }}({{ c.function.arguments.city }}){% endfor %}"
        + "{% elif m.role == 'tool' %}<{{ m.tool_call_id }}:{{ m.content }}>"
        + "{% else %}{{ m.role }}:{{ m.content }}{% endif %}|{% endfor %}"
        + "{% if add_generation_prompt %}GO{% endif %}";
    Path file = GgufCopy.copy(Demo.model(), dir.resolve("tools.gguf"),
        Map.of("tokenizer.chat_template", GgufValue.ofString(template)));
    try (Model m = Model.load(file, 1)) {
      List<Message> messages = List.of(Message.user("Weather?"),
          Message.assistant("", List.of(new dev.banter.api.ToolCall("c1", "weather", "{\"city\":\"Oslo\"}"))),
          Message.tool("c1", "rain"));
      String text = ChatPrompt.of(m).render(messages,
          List.of(dev.banter.api.ToolSpec.of("weather", "Weather now", "{\"type\":\"object\"}")));
      assertEquals("[weather:object]user:Weather?|c1=weather(Oslo)|<c1:rain>|GO", text);
    }
  }
}

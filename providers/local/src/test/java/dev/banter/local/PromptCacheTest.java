package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ConfigurationException;
import dev.banter.api.GenerationOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt cache across processes (a backend closed and another opened on the same directory):
 * a system prompt evaluated once is restored, the answers stay exactly those of a fresh
 * evaluation, and a damaged or foreign file costs nothing but the saved work.
 */
class PromptCacheTest {
  private static final String PERSONA = "You are Banter, a witty assistant with a dry sense of humour. You answer"
      + " in one or two sentences, you never lecture, and you like a good pun about robots and licenses.";
  private static final GenerationOptions GREEDY = GenerationOptions.builder().temperature(0).maxTokens(12).build();

  @TempDir
  Path dir;

  private static ChatRequest ask(String question) {
    return ChatRequest.builder().system(PERSONA).user(question).options(GREEDY).build();
  }

  private LocalBackend cached(String... settings) {
    var config = Demo.config().set("prompt-cache", dir.resolve("cache").toString());
    for (int i = 0; i < settings.length; i += 2) {
      config.set(settings[i], settings[i + 1]);
    }
    return Demo.backend(config);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
      return s.filter(p -> p.toString().endsWith(".kv")).collect(Collectors.toList());
    }
  }

  @Test
  void a_later_process_restores_the_system_prompt_and_answers_exactly_as_a_fresh_one() throws IOException {
    ChatResponse fresh;
    try (LocalBackend plain = Demo.backend(Demo.config())) {
      fresh = plain.chat(ask("Tell me a joke about a printer."));
    }
    try (LocalBackend first = cached()) {
      ChatResponse r = first.chat(ask("What is the capital of France?"));
      assertEquals(0, r.usage().orElseThrow().cachedPromptTokens());
    }
    assertEquals(1, files().size(), "the system part was saved once");
    try (LocalBackend second = cached()) {
      ChatResponse r = second.chat(ask("Tell me a joke about a printer."));
      int cached = r.usage().orElseThrow().cachedPromptTokens();
      assertTrue(cached >= PromptCache.MIN_TOKENS, "restored " + cached + " tokens");
      assertTrue(cached < r.usage().orElseThrow().promptTokens());
      assertEquals(fresh.text(), r.text(), "a restored cache gives the very same answer");
      second.chat(ask("And one about a stapler?"));
    }
    assertEquals(1, files().size(), "a prefix already saved is not saved again");
  }

  private static ChatRequest withExample(String question, int cacheablePrefix) {
    return ChatRequest.builder().system(PERSONA).user("Are you a robot?")
        .assistant("Only on weekdays; weekends I am a very confident toaster.").user(question).options(GREEDY)
        .cacheablePrefix(cacheablePrefix).build();
  }

  /** Tokens restored by a new process for {@code second}, after one that answered {@code first}. */
  private int restored(Path cache, ChatRequest first, ChatRequest second) {
    var config = Demo.config().set("prompt-cache", cache.toString());
    try (LocalBackend b = Demo.backend(config)) {
      b.chat(first);
    }
    String fresh;
    try (LocalBackend plain = Demo.backend(Demo.config())) {
      fresh = plain.chat(second).text();
    }
    try (LocalBackend b = Demo.backend(config)) {
      ChatResponse r = b.chat(second);
      assertEquals(fresh, r.text(), "the very same answer");
      return r.usage().orElseThrow().cachedPromptTokens();
    }
  }

  @Test
  void a_cacheable_prefix_with_example_exchanges_is_restored_whole() {
    int systemOnly = restored(dir.resolve("a"), withExample("What is the capital of France?", 0),
        withExample("Tell me a joke about a printer.", 0));
    int withExamples = restored(dir.resolve("b"), withExample("What is the capital of France?", 3),
        withExample("Tell me a joke about a printer.", 3));
    assertTrue(systemOnly >= PromptCache.MIN_TOKENS, "without a prefix the system message is kept: " + systemOnly);
    assertTrue(withExamples > systemOnly + 10, "the example exchange is restored too: " + withExamples + " vs "
        + systemOnly);
  }

  @Test
  void with_warm_up_a_new_process_holds_the_saved_prefix_before_its_first_request() {
    try (LocalBackend first = cached()) {
      first.chat(ask("What is the capital of France?"));
    }
    try (LocalBackend cold = cached()) {
      assertEquals(0, cold.load().orElseThrow().cachedTokens(), "without warm-up nothing is read ahead");
    }
    try (LocalBackend warm = cached("warm-up", "true")) {
      long held = warm.load().orElseThrow().cachedTokens();
      assertTrue(held >= PromptCache.MIN_TOKENS, "the saved prefix is in a slot: " + held);
      ChatResponse r = warm.chat(ask("Tell me a joke about a printer."));
      assertEquals(held, r.usage().orElseThrow().cachedPromptTokens(), "the first request finds it there");
    }
  }

  @Test
  void a_damaged_file_is_dropped_and_the_prompt_evaluated_instead() throws IOException {
    try (LocalBackend first = cached()) {
      first.chat(ask("Hello?"));
    }
    Path file = files().get(0);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 100);
    }
    ChatResponse fresh;
    try (LocalBackend plain = Demo.backend(Demo.config())) {
      fresh = plain.chat(ask("Tell me a joke about a printer."));
    }
    try (LocalBackend second = cached()) {
      ChatResponse r = second.chat(ask("Tell me a joke about a printer."));
      assertEquals(0, r.usage().orElseThrow().cachedPromptTokens());
      assertEquals(fresh.text(), r.text());
    }
    assertFalse(files().contains(file) && Files.size(file) < 1000, "the damaged file is gone or replaced");
  }

  @Test
  void a_file_made_for_another_context_length_is_not_used_and_garbage_is_ignored() throws IOException {
    try (LocalBackend first = cached("context", "512")) {
      first.chat(ask("Hello?"));
    }
    Files.writeString(dir.resolve("cache").resolve("junk.kv"), "not a cache file");
    try (LocalBackend other = cached("context", "256")) {
      assertEquals(0, other.promptCache().size());
      ChatResponse r = other.chat(ask("Hello?"));
      assertEquals(0, r.usage().orElseThrow().cachedPromptTokens());
    }
  }

  @Test
  void the_directory_keeps_to_its_budget_by_dropping_the_oldest_file() throws IOException {
    try (LocalBackend b = cached("prompt-cache-size", "1")) {
      long one;
      b.chat(ask("Hello?"));
      one = Files.size(files().get(0));
      assertTrue(one < (1 << 20), "the demo model's prefix fits the budget: " + one);
      for (int i = 0; i < (1 << 20) / one + 1; i++) {
        b.chat(ChatRequest.builder().system(PERSONA + " Variant " + i + ".").user("Hi").options(GREEDY).build());
      }
    }
    long total = 0;
    for (Path f : files()) {
      total += Files.size(f);
    }
    assertTrue(total <= 1 << 20, "the cache holds " + total + " bytes");
  }

  @Test
  void an_unusable_directory_is_a_configuration_error_naming_the_setting() throws IOException {
    Path notADir = Files.writeString(dir.resolve("file"), "x");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Demo.backend(Demo.config().set("prompt-cache", notADir.toString())));
    assertTrue(e.getMessage().contains("prompt-cache"), e.getMessage());
  }
}

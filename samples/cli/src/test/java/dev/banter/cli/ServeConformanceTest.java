package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter serve}, spoken to by the official OpenAI Java client. */
@Timeout(120)
class ServeConformanceTest {
  static final String KEY = "test-key-3f9a1c";
  /** The backend served: none named, so the local engine on the bundled demo model. */
  static final String[] BACKEND = {};

  @TempDir
  Path home;

  private Served served;
  private OpenAIClient client;

  private Served serve(String... extra) throws InterruptedException {
    String[] args = new String[BACKEND.length + extra.length];
    System.arraycopy(BACKEND, 0, args, 0, BACKEND.length);
    System.arraycopy(extra, 0, args, BACKEND.length, extra.length);
    served = Served.start(home, args);
    client = client(KEY);
    return served;
  }

  private OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(served.baseUrl).apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(60)).build();
  }

  private String modelId() {
    return client.models().list().data().get(0).id();
  }

  private ChatCompletionCreateParams.Builder ask(String text) {
    return ChatCompletionCreateParams.builder().model(modelId()).addUserMessage(text).maxCompletionTokens(200).seed(7);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (served != null) {
      served.close();
    }
  }

  @Test
  void the_model_list_names_the_served_model() throws Exception {
    serve("--api-key", KEY);
    List<Model> models = client.models().list().data();
    assertEquals(1, models.size());
    assertTrue(models.get(0).id().startsWith("banter-demo"), models.get(0).id());
  }

  @Test
  void a_chat_completion_comes_back_with_usage() throws Exception {
    serve("--api-key", KEY);
    ChatCompletion c = client.chat().completions().create(ask("I need a holiday.").build());
    assertEquals(1, c.choices().size());
    String text = c.choices().get(0).message().content().orElse("");
    assertFalse(text.trim().isEmpty());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
    assertTrue(c.usage().orElseThrow().completionTokens() > 0);
    assertTrue(c.usage().orElseThrow().promptTokens() > 0);
  }

  @Test
  void a_streamed_completion_delivers_every_chunk_and_usage_last() throws Exception {
    serve("--api-key", KEY);
    String whole = client.chat().completions().create(ask("I dream of flying.").build())
        .choices().get(0).message().content().orElse("");
    List<ChatCompletionChunk> chunks;
    ChatCompletionCreateParams params = ask("I dream of flying.")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().collect(Collectors.toList());
    }
    assertTrue(chunks.size() >= 3, "role, text, finish and usage chunks: " + chunks.size());
    String streamed = chunks.stream().flatMap(c -> c.choices().stream())
        .map(ch -> ch.delta().content().orElse("")).collect(Collectors.joining());
    assertEquals(whole, streamed, "the stream carries the same answer as the whole completion");
    long finishes = chunks.stream().flatMap(c -> c.choices().stream()).filter(ch -> ch.finishReason().isPresent())
        .count();
    assertEquals(1, finishes);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertTrue(last.choices().isEmpty(), "the usage chunk has no choices");
    assertTrue(last.usage().orElseThrow().completionTokens() > 0);
    for (ChatCompletionChunk c : chunks.subList(0, chunks.size() - 1)) {
      assertFalse(c.usage().isPresent(), "only the last chunk carries usage");
    }
  }

  @Test
  void an_unknown_model_is_a_404() throws Exception {
    serve("--api-key", KEY);
    NotFoundException e = assertThrows(NotFoundException.class, () -> client.chat().completions()
        .create(ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("Hi").build()));
    assertEquals(404, e.statusCode());
  }

  @Test
  void a_missing_or_wrong_key_is_a_401() throws Exception {
    serve("--api-key", KEY);
    String model = modelId();
    OpenAIClient wrong = client("not-the-key");
    try {
      assertThrows(UnauthorizedException.class, () -> wrong.models().list());
      assertThrows(UnauthorizedException.class, () -> wrong.chat().completions()
          .create(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").build()));
    } finally {
      wrong.close();
    }
  }

  @Test
  void the_key_can_come_from_the_environment() throws Exception {
    served = startWithEnv("BANTER_API_KEY", KEY);
    client = client(KEY);
    assertFalse(modelId().isEmpty());
    OpenAIClient wrong = client("nope");
    try {
      assertThrows(UnauthorizedException.class, () -> wrong.models().list());
    } finally {
      wrong.close();
    }
  }

  private Served startWithEnv(String name, String value) throws InterruptedException {
    return Served.startWith(home, io -> io.env.put(name, value), BACKEND);
  }

  @Test
  void a_full_server_answers_429_with_retry_after() throws Exception {
    serve("--api-key", KEY, "--max-concurrent", "1", "--retry-after", "3s");
    String model = modelId();
    try (HeldSlot held = new HeldSlot(served.port, KEY)) {
      RateLimitException e = held.untilRefused(() -> client.chat().completions().create(
          ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").maxCompletionTokens(4).build()),
          RateLimitException.class);
      assertEquals(429, e.statusCode());
      assertEquals("3", e.headers().values("Retry-After").get(0));
    }
  }
}

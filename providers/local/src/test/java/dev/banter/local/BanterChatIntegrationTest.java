package dev.banter.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.GenerationOptions;
import dev.banter.core.Banter;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A chat through the runtime, as an application writes it: the backend found by its id, the witty
 * persona rendered into the prompt, the answer streamed from the demo model.
 */
class BanterChatIntegrationTest {
  @Test
  void a_witty_chat_on_the_local_demo_model_streams_and_completes_with_usage_and_timings() throws Exception {
    // The witty persona's system prompt is longer than the demo model's 256-token training
    // context, so the context is raised (RoPE positions beyond it still work).
    try (ChatModel model = Banter.builder().backend("local")
        .set("model", Demo.model().toString())
        .set("context", "1024")
        .set("threads", "2")
        .persona("witty")
        .build()) {
      ChatRequest request = ChatRequest.builder().user("Tell me a joke.")
          .options(GenerationOptions.builder().seed(1).maxTokens(40).build()).build();
      ChatStream stream = model.stream(request);
      StringBuilder text = new StringBuilder();
      int chunks = 0;
      for (ChatChunk c : stream) {
        text.append(c.text());
        chunks++;
      }
      ChatResponse r = stream.completion().toCompletableFuture().get(60, TimeUnit.SECONDS);
      System.out.println("witty demo answer (" + r.usage() + ", " + r.timings() + "): " + r.text());
      assertTrue(chunks > 1, "streamed in " + chunks + " chunks");
      assertEquals(text.toString(), r.text());
      assertFalse(r.text().isEmpty());
      assertTrue(r.usage().orElseThrow().promptTokens() > 256, "the persona's prompt is in: " + r.usage());
      assertTrue(r.usage().orElseThrow().completionTokens() > 0 && r.usage().orElseThrow().completionTokens() <= 40, r.usage().toString());
      assertTrue(r.timings().orElseThrow().promptTokensPerSecond().getAsDouble() > 0, r.timings().toString());
      assertTrue(r.timings().orElseThrow().tokensPerSecond().getAsDouble() > 0, r.timings().toString());
      assertEquals(Optional.of("local"), r.backendId());
    }
  }
}

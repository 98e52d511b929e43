package dev.banter.site.snippets;

import dev.banter.api.ChatChunk;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.core.Banter;
import java.nio.file.Path;

/**
 * The code of the backend pages. These need a model file, GPU servers or an API key, so they are
 * compiled with the build but not run by the tests.
 */
final class BackendSnippets {
  private BackendSnippets() {}

  static ChatModel local() {
    // tag::local[]
    ChatModel model = Banter.builder()
        .backend("local")
        .set("model", "models/Llama-3.2-3B-Instruct-Q4_K_M.gguf")
        .persona("witty")
        .build();
    // end::local[]
    return model;
  }

  static ChatModel inferenceServer() {
    // tag::inference-server[]
    ChatModel model = Banter.builder()
        .backend("inference-server")
        .set("endpoints", "http://gpu1:8000/v1,http://gpu2:8000/v1,http://gpu3:8000/v1")
        .set("model", "meta-llama/Llama-3.1-70B-Instruct")
        .set("health-interval", "5s")     // each endpoint is probed; failing ones are left out
        .set("max-connections", "64")     // per endpoint
        .persona("witty")
        .build();
    // end::inference-server[]
    return model;
  }

  static ChatModel xai() {
    // tag::xai[]
    ChatModel grok = Banter.builder()
        .backend("xai")                   // the key comes from XAI_API_KEY
        .set("model", "grok-4")
        .persona("witty")
        .build();
    // end::xai[]
    return grok;
  }

  static void reasoning(ChatModel grok) {
    // tag::reasoning[]
    try (ChatStream stream = grok.stream(ChatRequest.of("How many r's are in 'strawberry'?"))) {
      for (ChatChunk chunk : stream) {
        if (!chunk.reasoning().isEmpty()) {
          System.err.print(chunk.reasoning());   // the model thinking aloud
        }
        System.out.print(chunk.text());          // the answer
      }
      ChatResponse r = stream.await();
      System.out.println("\nreasoning tokens: " + r.usage().orElseThrow().reasoningTokens()
          + " of " + r.usage().orElseThrow().completionTokens() + " generated");
    }
    // end::reasoning[]
  }

  static ChatModel openai() {
    // tag::openai[]
    ChatModel gpt = Banter.builder()
        .backend("openai")                // the key comes from OPENAI_API_KEY
        .set("model", "gpt-4o")
        .set("organization", "org-acme")  // sent as OpenAI-Organization
        .set("project", "proj_banter")    // sent as OpenAI-Project
        .build();
    // end::openai[]
    return gpt;
  }

  static ChatModel fromConfig() {
    // tag::config-file[]
    ChatModel model = Banter.fromConfig(Path.of("banter.json"));
    // end::config-file[]
    return model;
  }

  static ChatModel secretInCode(String keyFromAVault) {
    // tag::secret[]
    ChatModel grok = Banter.builder()
        .backend("xai")
        .set("model", "grok-4")
        .secret("api-key", keyFromAVault)   // kept as a Secret: toString() prints ****
        .build();
    // end::secret[]
    return grok;
  }

  static ChatModel banterServe(String apiKey) {
    // tag::serve-client[]
    ChatModel remote = Banter.builder()
        .backend("inference-server")          // banter serve speaks the same protocol as vLLM
        .set("base-url", "http://127.0.0.1:8080/v1")
        .secret("api-key", apiKey)            // the key banter serve was started with
        .build();
    // end::serve-client[]
    return remote;
  }
}

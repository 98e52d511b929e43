package dev.banter.site.snippets;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.GenerationOptions;
import dev.banter.core.Banter;

/** The code of the plugin page; {@code PluginSnippetsTest} runs it. */
final class PluginSnippets {
  private PluginSnippets() {}

  static String use() {
    // tag::use[]
    try (ChatModel eliza = Banter.builder()
        .backend("eliza")                 // the id ElizaProvider.id() returns
        .set("word-delay", "80ms")        // read by ElizaBackend through BackendConfig
        .persona("witty")
        .build()) {
      return eliza.chat(ChatRequest.builder()
          .user("I need a holiday.")
          .options(GenerationOptions.builder().seed(7).build())
          .build()).text();
    }
    // end::use[]
  }
}

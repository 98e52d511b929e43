package dev.banter.site.snippets;

import dev.banter.api.ChatModel;
import dev.banter.api.GenerationOptions;
import dev.banter.core.Banter;
import dev.banter.samples.webchat.WebChat;
import java.time.Duration;

/** The code of the web chat page; compiled with the build (it serves until interrupted). */
final class WebChatSnippets {
  private WebChatSnippets() {}

  static void serve() throws InterruptedException {
    // tag::serve[]
    try (ChatModel model = Banter.builder().backend("local").set("model", "models/model.gguf").build();
         WebChat chat = WebChat.builder(model)
             .host("127.0.0.1")
             .port(8080)
             .persona("witty")
             .options(GenerationOptions.builder().temperature(0.7).maxTokens(400).build())
             .pace(Duration.ofMillis(30))   // at most one streamed piece per 30 ms
             .start()) {
      System.out.println("Open " + chat.url());
      Thread.currentThread().join();
    }
    // end::serve[]
  }
}

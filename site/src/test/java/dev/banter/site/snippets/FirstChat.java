package dev.banter.site.snippets;

// tag::class[]
import dev.banter.api.ChatModel;
import dev.banter.core.Banter;

public class FirstChat {
  public static void main(String[] args) {
    try (ChatModel model = Banter.builder()
        .backend("local")
        .set("model", args[0])              // a GGUF file
        .persona("witty")
        .build()) {
      System.out.println(model.chat("Tell me about Mars.").text());
    }
  }
}
// end::class[]

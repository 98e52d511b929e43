package dev.banter.site.snippets;

// tag::class[]
import dev.banter.api.ChatModel;
import dev.banter.core.Banter;
import dev.banter.samples.demo.DemoModel;
import java.nio.file.Path;

public class FirstChat {
  public static void main(String[] args) {
    Path gguf = args.length > 0 ? Path.of(args[0]) : DemoModel.path();   // your model, or the demo model
    try (ChatModel model = Banter.builder()
        .backend("local")
        .set("model", gguf.toString())
        .persona("witty")
        .build()) {
      System.out.println(model.chat("Tell me about Mars.").text());
    }
  }
}
// end::class[]

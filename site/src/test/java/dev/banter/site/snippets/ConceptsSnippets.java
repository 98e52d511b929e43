package dev.banter.site.snippets;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatRequest;
import dev.banter.api.ChatResponse;
import dev.banter.api.ChatStream;
import dev.banter.api.ChatSubscription;
import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import dev.banter.api.RateLimitedException;
import dev.banter.api.RefusalPosture;
import dev.banter.api.StyleTraits;
import dev.banter.core.Banter;
import java.io.PrintStream;
import java.util.List;

/** The code of the concepts page; {@code ConceptsSnippetsTest} runs it on the ELIZA plugin. */
final class ConceptsSnippets {
  private ConceptsSnippets() {}

  static ChatResponse request(ChatModel model) {
    // tag::request[]
    ChatRequest request = ChatRequest.builder()
        .system("Answer in one sentence.")
        .user("Why do cats purr?")
        .persona("regular")
        .options(GenerationOptions.builder().temperature(0.2).maxTokens(60).build())
        .build();
    ChatResponse response = model.chat(request);
    System.out.println(response.text());
    response.usage().ifPresent(u -> System.out.println(response.finishReason() + ", " + u.totalTokens() + " tokens"));
    // end::request[]
    return response;
  }

  static void iterate(ChatModel model, PrintStream out) {
    // tag::iterate[]
    try (ChatStream stream = model.stream("Tell me about Mars.")) {
      for (ChatChunk chunk : stream) {
        out.print(chunk.text());          // each piece as soon as it is generated
      }
      out.println();
      ChatResponse whole = stream.await(); // the whole answer, usage and timings
      whole.timings().ifPresent(t -> out.println(t.timeToFirstToken().toMillis() + " ms to the first token"));
    }
    // end::iterate[]
  }

  static void listen(ChatModel model, StringBuilder screen) {
    // tag::listen[]
    ChatStream stream = model.stream("Tell me a story.");
    stream.subscribe(new ChatListener() {
      private ChatSubscription subscription;

      @Override
      public void onSubscribe(ChatSubscription s) {
        subscription = s;
        s.request(1);                     // one chunk at a time: the model waits for slow readers
      }

      @Override
      public void onChunk(ChatChunk chunk) {
        screen.append(chunk.text());
        subscription.request(1);
      }

      @Override
      public void onComplete(ChatResponse response) {
        screen.append(" [").append(response.finishReason()).append(']');
      }

      @Override
      public void onError(BanterException error) {
        screen.append(" [failed: ").append(error.getMessage()).append(']');
      }
    });
    // end::listen[]
    stream.await();
  }

  static ChatResponse cancel(ChatModel model) {
    // tag::cancel[]
    ChatStream stream = model.stream("Tell me everything about the Roman Empire.");
    stream.subscribe(ChatListener.onText(System.out::print, error -> System.err.println(error.getMessage())));
    stream.cancel();                          // e.g. the user pressed "stop"
    ChatResponse partial = stream.await();    // still completes: partial text, partial usage
    assert partial.finishReason() == FinishReason.CANCELLED;
    // end::cancel[]
    return partial;
  }

  static Persona persona() {
    // tag::persona[]
    Persona pirate = Persona.builder("pirate")
        .displayName("Captain Banter")
        .description("Answers accurately, in pirate speak.")
        .systemPrompt("You are a pirate captain who answers accurately, in pirate speak.")
        .traits(new StyleTraits(0.8, 0.6, 0.3))   // humour, candour, verbosity, each 0..1
        .defaults(GenerationOptions.builder().temperature(0.9).build())
        .example("Where is the treasure?", "Arr, where X marks the spot, and not an inch to starboard.")
        .refusalPosture(RefusalPosture.BALANCED)
        .build();
    // end::persona[]
    return pirate;
  }

  static ChatModel withPirate(String backend, Persona pirate) {
    // tag::add-persona[]
    ChatModel model = Banter.builder()
        .backend(backend)
        .addPersona(pirate)                       // or .addPersonaFile(Path.of("pirate.json"))
        .persona("witty")                         // the default for requests that name none
        .build();
    ChatResponse arr = model.chat(ChatRequest.builder().user("Hello!").persona("pirate").build());
    // end::add-persona[]
    System.out.println(arr.text());
    return model;
  }

  static List<Message> conversation(ChatModel model) {
    // tag::conversation[]
    Conversation chat = model.conversation(ConversationSettings.builder()
        .persona("witty")
        .tokenBudget(2048)          // history beyond this is evicted, oldest turns first
        .reserveForAnswer(256)
        .options(GenerationOptions.builder().temperature(0.7).build())   // for every turn
        .build());
    chat.send("Who built the pyramids?");
    chat.send("And how long did it take?");   // the model sees the first exchange too
    chat.switchPersona("regular");            // from the next turn on; the history stays
    chat.send("Sum it up in one sentence.");

    List<Message> saved = chat.history();     // a snapshot to keep...
    chat.reset();
    chat.restore(saved);                      // ...and to bring back later
    // end::conversation[]
    return saved;
  }

  static String errors(ChatModel model) {
    // tag::errors[]
    try {
      return model.chat("Hi").text();
    } catch (RateLimitedException e) {
      return "Busy; try again in " + e.retryAfter().map(d -> d.getSeconds() + " s").orElse("a moment");
    } catch (ContextLengthExceededException e) {
      return "Too long: " + e.getMessage();
    } catch (BanterException e) {
      return "Failed (" + e.backendId().orElse("?") + "): " + e.getMessage();
    }
    // end::errors[]
  }
}

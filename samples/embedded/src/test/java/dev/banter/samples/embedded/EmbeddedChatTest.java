package dev.banter.samples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ChatModel;
import dev.banter.api.ChatResponse;
import dev.banter.api.Conversation;
import dev.banter.api.GenerationOptions;
import dev.banter.api.ModelLoadException;
import dev.banter.api.Persona;
import dev.banter.core.Banter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's persona and conversation, on the ELIZA plugin (deterministic, and quick). */
class EmbeddedChatTest {
  @TempDir
  Path filesDir;

  @Test
  void the_persona_ships_in_the_app_and_is_copied_to_its_files_directory() throws IOException {
    Path file = EmbeddedChat.copyPersona(filesDir);
    assertEquals(filesDir.resolve("fortune-teller.json"), file);
    assertTrue(Files.readString(file).contains("\"id\": \"fortune-teller\""));
    assertEquals(file, EmbeddedChat.copyPersona(filesDir), "copying again replaces the file");
  }

  @Test
  void the_copied_persona_file_loads_with_its_sampling_defaults() {
    try (ChatModel model = Banter.builder().backend("eliza")
        .addPersonaFile(EmbeddedChat.copyPersona(filesDir)).persona(EmbeddedChat.PERSONA).build()) {
      Persona p = model.defaultPersona().orElseThrow();
      assertEquals("fortune-teller", p.id());
      assertEquals("Madame Fortuna", p.displayName());
      GenerationOptions d = p.defaults();
      assertEquals(List.of("User:"), d.stop(), "the demo model's next-speaker marker ends an answer");
      assertEquals(48, d.maxTokens().getAsInt());
      assertEquals(1, p.examples().size());
    }
  }

  @Test
  void a_conversation_takes_two_turns_the_second_streamed() throws IOException {
    StringBuilder out = new StringBuilder();
    try (ChatModel model = Banter.builder().backend("eliza")
        .addPersonaFile(EmbeddedChat.copyPersona(filesDir)).persona(EmbeddedChat.PERSONA).build()) {
      EmbeddedChat.converse(model, out);
    }
    String[] lines = out.toString().split("\n");
    assertEquals(2, lines.length, out.toString());
    // ELIZA deflects questions; the persona asks for humour, so each answer ends with a quip.
    assertTrue(lines[0].endsWith(")") && lines[1].endsWith(")"), out.toString());
  }

  @Test
  void pieces_of_a_streamed_answer_are_handed_to_the_ui_thread_in_order() throws Exception {
    ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "ui"));
    List<String> threads = new CopyOnWriteArrayList<>();
    StringBuffer view = new StringBuffer();
    try (ChatModel model = Banter.builder().backend("eliza")
        .addPersonaFile(EmbeddedChat.copyPersona(filesDir)).persona(EmbeddedChat.PERSONA).build()) {
      Conversation chat = model.conversation();
      ChatResponse answer = EmbeddedChat.streamInto(chat, "I feel lucky", ui, piece -> {
        threads.add(Thread.currentThread().getName());
        view.append(piece);
      }, error -> view.append("failed: ").append(error.getMessage())).await();
      ui.submit(() -> { }).get();
      assertEquals(answer.text(), view.toString());
      assertTrue(threads.size() > 1 && threads.stream().allMatch("ui"::equals), threads.toString());
    } finally {
      ui.shutdownNow();
    }
  }

  @Test
  void a_files_directory_that_cannot_be_written_fails_with_what_to_do() throws IOException {
    Path notADirectory = Files.writeString(filesDir.resolve("plain-file"), "x");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmbeddedChat.copyPersona(notADirectory));
    assertTrue(e.getMessage().contains("Pass a directory the app may write"), e.getMessage());
  }
}

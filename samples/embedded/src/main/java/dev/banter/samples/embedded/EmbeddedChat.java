package dev.banter.samples.embedded;

import dev.banter.api.BanterException;
import dev.banter.api.ChatListener;
import dev.banter.api.ChatModel;
import dev.banter.api.ChatStream;
import dev.banter.api.Conversation;
import dev.banter.api.ConversationSettings;
import dev.banter.api.ModelLoadException;
import dev.banter.core.Banter;
import dev.banter.samples.demo.DemoModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Banter inside an application, the way an Android app (or any plain Java program) embeds it:
 * {@code banter-api}, {@code banter-core} and the pure-Java {@code banter-local} engine, no server,
 * no Vert.x, nothing but the JDK underneath. The app ships its own persona as a JSON file,
 * copies it to its files directory (Android: {@code Context.getFilesDir()}) and talks to it.
 * Thread-safe; one {@link ChatModel} per app.
 *
 * <pre>{@code
 * try (ChatModel model = EmbeddedChat.open(DemoModel.path(), context.getFilesDir().toPath())) {
 *   Conversation chat = model.conversation();
 *   System.out.println(chat.send("What will today bring?").text());
 * }
 * }</pre>
 */
public final class EmbeddedChat {
  /** The persona the app ships, by id. */
  public static final String PERSONA = "fortune-teller";
  private static final String PERSONA_FILE = "fortune-teller.json";

  private EmbeddedChat() {}

  /**
   * Opens a GGUF model on the local engine with the app's own persona as the default.
   *
   * @param modelFile a GGUF file, for example {@link DemoModel#path()}
   * @param filesDir where the app may write (the persona file is copied there)
   * @throws ModelLoadException when the model cannot be loaded or the persona not written
   */
  public static ChatModel open(Path modelFile, Path filesDir) {
    // tag::embed[]
    Path persona = copyPersona(filesDir);   // the app's persona, shipped as a JSON resource
    ChatModel model = Banter.builder()
        .backend("local")                   // the pure-Java engine, inside this process
        .set("model", modelFile.toString())
        .addPersonaFile(persona)
        .persona(PERSONA)
        .build();
    // end::embed[]
    return model;
  }

  /**
   * The persona file, written to {@code filesDir} from the app's resources (an Android app would
   * copy it from its assets the same way).
   *
   * @throws ModelLoadException when the directory cannot be written
   */
  public static Path copyPersona(Path filesDir) {
    Path target = filesDir.resolve(PERSONA_FILE);
    try (InputStream in = EmbeddedChat.class.getResourceAsStream(PERSONA_FILE)) {
      if (in == null) {
        throw new ModelLoadException("The persona " + PERSONA_FILE + " is missing from the app's resources.",
            PERSONA_FILE, -1);
      }
      Files.createDirectories(filesDir);
      Path tmp = Files.createTempFile(filesDir, PERSONA_FILE, ".part");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
      }
      return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ModelLoadException("Cannot write the persona to " + filesDir + ": " + e.getMessage()
          + ". Pass a directory the app may write.", target.toString(), -1, e);
    }
  }

  /**
   * Two turns of one conversation: the first answer whole, the second streamed piece by piece
   * to a listener, as an app would append each piece to a text view.
   */
  public static void converse(ChatModel model, Appendable out) throws IOException {
    // tag::conversation[]
    Conversation chat = model.conversation(ConversationSettings.builder().persona(PERSONA).build());
    out.append(chat.send("What will today bring?").text()).append('\n');

    ChatStream answer = chat.stream("And tomorrow?");
    answer.subscribe(ChatListener.onText(piece -> append(out, piece), error -> append(out, "\n(" + error.getMessage() + ")")));
    answer.await();
    // end::conversation[]
    out.append('\n');
  }

  /**
   * Streams an answer into a view, the way an Android activity does: the pieces arrive on a
   * model thread and are handed to the UI thread ({@code uiThread} would be
   * {@code activity::runOnUiThread} or {@code context.getMainExecutor()}). Returns the stream,
   * which a stop button may cancel.
   */
  public static ChatStream streamInto(Conversation chat, String message, Executor uiThread, Consumer<String> view,
      Consumer<BanterException> failed) {
    // tag::ui[]
    ChatStream answer = chat.stream(message);          // returns at once; never blocks the UI thread
    answer.subscribe(ChatListener.onText(
        piece -> uiThread.execute(() -> view.accept(piece)),
        error -> uiThread.execute(() -> failed.accept(error))));
    return answer;                                     // answer.cancel() from a stop button
    // end::ui[]
  }

  private static void append(Appendable out, String text) {
    try {
      out.append(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Runs the two turns of {@link #converse} on the given GGUF file, or on the bundled demo model,
   * with the persona written to a directory in the system's temporary directory.
   */
  public static void main(String[] args) throws IOException {
    Path modelFile = args.length > 0 ? Paths.get(args[0]) : DemoModel.path();
    Path filesDir = Files.createTempDirectory("banter-embedded");
    try (ChatModel model = open(modelFile, filesDir)) {
      converse(model, System.out);
    }
  }
}

package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.Message;
import dev.banter.api.Role;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The interactive chat, typed into through a dumb terminal over pipes. */
@Timeout(120)
class ReplTest {
  @TempDir
  Path home;

  private PipedOutputStream keyboard;
  private Captured screen;
  private Terminal terminal;
  private TestIo io;
  private CompletableFuture<Integer> exit;

  private void start(String... args) throws IOException {
    keyboard = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
    screen = new Captured();
    terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, in, screen, StandardCharsets.UTF_8);
    io = new TestIo(home);
    io.terminal = terminal;
    String[] all = new String[args.length + 1];
    all[0] = "chat";
    System.arraycopy(args, 0, all, 1, args.length);
    exit = CompletableFuture.supplyAsync(() -> io.run(all));
  }

  private void type(String line) throws IOException {
    keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  /** Waits for the n-th summary line, which ends an answer. */
  private String awaitAnswers(int n) throws InterruptedException {
    return screen.await(t -> t.split("finish: ", -1).length > n, Duration.ofSeconds(60), n + " answers");
  }

  private int quit() throws Exception {
    type("/quit");
    return exit.get(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws IOException {
    if (keyboard != null) {
      keyboard.close();
    }
  }

  @Test
  void a_message_gets_a_streamed_answer_and_a_summary() throws Exception {
    start("--backend", "eliza");
    type("I need a holiday.");
    String s = awaitAnswers(1);
    assertTrue(s.contains("Chatting with backend eliza"), s);
    assertTrue(s.contains("finish: stop"), s);
    assertEquals(0, quit());
  }

  @Test
  void persona_lists_the_personas_and_switches_between_them() throws Exception {
    start("--backend", "eliza");
    type("/persona");
    screen.await("regular");
    String list = screen.text();
    assertTrue(list.contains("* witty"), "the current persona is marked: " + list);
    type("/persona regular");
    screen.await("Now talking to regular");
    type("/persona");
    screen.await("* regular");
    type("/persona nobody");
    screen.await("Unknown persona 'nobody'");
    type("I feel lonely.");
    awaitAnswers(1);
    assertEquals(0, quit());
  }

  @Test
  void reset_forgets_the_history_and_save_and_load_carry_it_over() throws Exception {
    start("--backend", "eliza");
    type("I am sad about my cat.");
    awaitAnswers(1);
    type("My mother says hello.");
    awaitAnswers(2);
    Path saved = home.resolve("talk.json");
    type("/save " + saved);
    screen.await("Saved 4 messages");
    List<Message> messages = Transcript.read(saved).messages;
    assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT),
        messages.stream().map(Message::role).collect(java.util.stream.Collectors.toList()));
    assertEquals("I am sad about my cat.", messages.get(0).content());
    type("/reset");
    screen.await("Forgotten.");
    type("/save " + home.resolve("empty.json"));
    screen.await("Saved 0 messages");
    type("/load " + saved);
    screen.await("Loaded 4 messages");
    type("/save " + home.resolve("again.json"));
    screen.await("Saved 4 messages to " + home.resolve("again.json"));
    assertEquals(Files.readString(saved), Files.readString(home.resolve("again.json")));
    assertEquals(0, quit());
  }

  @Test
  void loading_a_broken_file_says_what_is_wrong_and_the_chat_goes_on() throws Exception {
    Path bad = home.resolve("bad.json");
    Files.writeString(bad, "{\"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}");
    start("--backend", "eliza");
    type("/load " + bad);
    screen.await("messages[0].role");
    type("/load " + home.resolve("missing.json"));
    screen.await("Cannot read");
    type("Hello there.");
    awaitAnswers(1);
    assertEquals(0, quit());
  }

  @Test
  void ctrl_c_stops_the_answer_and_the_chat_goes_on() throws Exception {
    start("--backend", "eliza", "--set", "word-delay=1s");
    int before = screen.await(t -> t.endsWith("witty> "), Duration.ofSeconds(60), "the prompt").length();
    type("I need a long holiday far away from my family.");
    screen.await(t -> !t.substring(before).replace("witty> ", "").trim().isEmpty(), Duration.ofSeconds(30),
        "the first word");
    terminal.raise(Terminal.Signal.INT);
    String s = awaitAnswers(1);
    assertTrue(s.contains("[cancelled]"), s);
    assertTrue(s.contains("finish: cancelled"), s);
    type("/model");
    screen.await("backend eliza, model");
    assertEquals(0, quit());
  }

  @Test
  void a_line_ending_with_a_backslash_continues_and_triple_quotes_make_a_block() throws Exception {
    start("--backend", "eliza");
    type("I remember \\");
    type("my father.");
    awaitAnswers(1);
    type("\"\"\"");
    type("I dream");
    type("of dragons.");
    type("\"\"\"");
    awaitAnswers(2);
    Path saved = home.resolve("lines.json");
    type("/save " + saved);
    screen.await("Saved 4 messages");
    List<Message> messages = Transcript.read(saved).messages;
    assertEquals("I remember \nmy father.", messages.get(0).content());
    assertEquals("I dream\nof dragons.", messages.get(2).content());
    assertEquals(0, quit());
  }

  @Test
  void unknown_commands_are_named_and_help_lists_the_real_ones() throws Exception {
    start("--backend", "eliza");
    type("/dance");
    screen.await("Unknown command /dance");
    type("/help");
    screen.await("/persona NAME");
    assertFalse(screen.text().contains("finish:"), "no message was sent");
    assertEquals(0, quit());
  }

  @Test
  void end_of_input_leaves_and_the_history_file_keeps_the_lines() throws Exception {
    start("--backend", "eliza");
    type("Hello.");
    awaitAnswers(1);
    keyboard.close();
    assertEquals(0, exit.get(60, TimeUnit.SECONDS));
    assertTrue(Files.readString(home.resolve("chat-history")).contains("Hello."));
  }
}

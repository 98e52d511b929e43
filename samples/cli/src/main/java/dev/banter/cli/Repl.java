package dev.banter.cli;

import dev.banter.api.BanterException;
import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.Message;
import dev.banter.api.ModelInfo;
import dev.banter.api.Persona;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The interactive chat: line editing and history (JLine), answers streamed as they come, slash
 * commands, multi-line input (a line ending with {@code \} continues; {@code """} opens and closes
 * a block), and Ctrl-C that stops the answer in progress and returns to the prompt. Ctrl-D or
 * {@code /quit} leaves.
 */
final class Repl {
  static final String HELP = """
      Commands:
        /persona          list the personas
        /persona NAME     talk to another persona from now on (the history stays)
        /reset            forget the conversation
        /save FILE        save the conversation as JSON
        /load FILE        replace the conversation with one saved earlier
        /model            show the backend, the model and its context window
        /help             this list
        /quit             leave (Ctrl-D works too)
      Input: end a line with \\ to continue it on the next; put \""" on a line to start and to end a
      block of several lines; start with // to send a message that begins with a slash.
      Ctrl-C stops the answer in progress.""";

  private final Terminal terminal;
  private final PrintWriter out;
  private final ChatSession session;
  private final ModelSetup setup;
  private final Path historyFile;
  private final boolean stats;

  Repl(Terminal terminal, ChatSession session, ModelSetup setup, Path historyFile, boolean stats) {
    this.terminal = terminal;
    this.out = terminal.writer();
    this.session = session;
    this.setup = setup;
    this.historyFile = historyFile;
    this.stats = stats;
  }

  /** Runs until the user leaves; returns the exit code. */
  int run() {
    DefaultParser parser = new DefaultParser();
    parser.setEscapeChars(null);
    parser.setQuoteChars(new char[0]);
    LineReaderBuilder rb = LineReaderBuilder.builder().terminal(terminal).appName("banter").parser(parser)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
    if (historyFile != null) {
      try {
        Files.createDirectories(historyFile.getParent());
        rb.variable(LineReader.HISTORY_FILE, historyFile);
      } catch (IOException e) {
        dim("(no history: cannot create " + historyFile.getParent() + ": " + e.getMessage() + ")");
      }
    }
    LineReader reader = rb.build();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> session.cancel());
    try {
      dim("Chatting with " + describeModel() + " as " + personaName() + ". /help lists the commands; Ctrl-D leaves.");
      while (true) {
        String input = readInput(reader);
        if (input == null) {
          break;
        }
        if (input.trim().isEmpty()) {
          continue;
        }
        if (input.startsWith("/") && !input.startsWith("//")) {
          if (!command(input.trim())) {
            break;
          }
          continue;
        }
        answer(input.startsWith("//") ? input.substring(1) : input);
      }
      return ExitCode.OK;
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        dim("(history not saved: " + e.getMessage() + ")");
      }
      out.flush();
    }
  }

  /** One message from the user, or null when input ended; Ctrl-C discards what was typed. */
  private String readInput(LineReader reader) {
    try {
      String line = reader.readLine(prompt());
      if (line.trim().startsWith("\"\"\"")) {
        return block(reader, line.trim().substring(3));
      }
      StringBuilder sb = new StringBuilder();
      while (line.endsWith("\\")) {
        sb.append(line, 0, line.length() - 1).append('\n');
        line = reader.readLine("... ");
      }
      return sb.append(line).toString();
    } catch (UserInterruptException e) {
      if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
        dim("(Ctrl-D or /quit leaves)");
      }
      return "";
    } catch (EndOfFileException e) {
      return null;
    }
  }

  private static String block(LineReader reader, String first) {
    StringBuilder sb = new StringBuilder();
    String line = first;
    while (true) {
      String trimmed = line.trim();
      if (trimmed.endsWith("\"\"\"")) {
        sb.append(trimmed, 0, trimmed.length() - 3);
        return sb.toString().trim();
      }
      sb.append(line).append('\n');
      line = reader.readLine("... ");
    }
  }

  private void answer(String text) {
    try {
      ChatResponse r = session.turn(text, chunk -> {
        out.print(chunk);
        out.flush();
      });
      if (r.finishReason() == FinishReason.CANCELLED) {
        out.print(" ");
        dimInline("[cancelled]");
      }
      out.println();
      if (stats) {
        dim(Stats.line(r));
      }
    } catch (BanterException e) {
      out.println();
      error(e.getMessage());
    }
  }

  /** Runs a slash command; returns false when the user leaves. */
  private boolean command(String line) {
    int space = line.indexOf(' ');
    String name = space < 0 ? line : line.substring(0, space);
    String arg = space < 0 ? "" : line.substring(space + 1).trim();
    switch (name) {
      case "/quit", "/exit" -> {
        return false;
      }
      case "/help" -> out.println(HELP);
      case "/reset" -> {
        session.reset();
        dim("Forgotten. " + personaName() + " starts afresh.");
      }
      case "/persona" -> persona(arg);
      case "/model" -> dim(describeModel());
      case "/save" -> save(arg);
      case "/load" -> load(arg);
      default -> error("Unknown command " + name + "; /help lists the commands.");
    }
    out.flush();
    return true;
  }

  private void persona(String id) {
    if (id.isEmpty()) {
      String current = session.persona().map(Persona::id).orElse("");
      for (Persona p : setup.model.personas()) {
        out.println((p.id().equals(current) ? "* " : "  ") + p.id() + " — " + p.displayName()
            + (p.description().isEmpty() ? "" : ": " + p.description()));
      }
      return;
    }
    try {
      session.switchPersona(id);
      dim("Now talking to " + personaName() + ".");
    } catch (BanterException e) {
      error(e.getMessage());
    }
  }

  private void save(String arg) {
    Path file = path(arg, "/save");
    if (file == null) {
      return;
    }
    List<Message> messages = session.history();
    try {
      new Transcript(session.persona().map(Persona::id).orElse(null), messages).write(file);
      dim("Saved " + messages.size() + " messages to " + file + ".");
    } catch (IOException e) {
      error("Cannot write " + file + ": " + e.getMessage());
    }
  }

  private void load(String arg) {
    Path file = path(arg, "/load");
    if (file == null) {
      return;
    }
    try {
      Transcript t = Transcript.read(file);
      session.restore(t.messages);
      String note = "";
      Optional<String> persona = t.persona();
      if (persona.isPresent() && !persona.get().equals(session.persona().map(Persona::id).orElse(""))) {
        try {
          session.switchPersona(persona.get());
        } catch (BanterException e) {
          note = " Its persona '" + persona.get() + "' is unknown here; still talking to " + personaName() + ".";
        }
      }
      dim("Loaded " + t.messages.size() + " messages from " + file + "." + note);
    } catch (IOException e) {
      error("Cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
    }
  }

  private Path path(String arg, String command) {
    if (arg.isEmpty()) {
      error(command + " needs a file name, for example " + command + " chat.json");
      return null;
    }
    try {
      if (arg.equals("~") || arg.startsWith("~/")) {
        return Paths.get(System.getProperty("user.home"), arg.substring(1));
      }
      return Paths.get(arg);
    } catch (InvalidPathException e) {
      error("Not a file name: " + arg);
      return null;
    }
  }

  private String describeModel() {
    StringBuilder sb = new StringBuilder("backend ").append(setup.backendId).append(", model ").append(setup.modelLabel);
    if (setup.demo) {
      sb.append(" (the bundled demo model)");
    }
    try {
      List<ModelInfo> models = setup.model.models();
      if (!models.isEmpty() && models.get(0).contextLength().isPresent()) {
        sb.append(", context ").append(models.get(0).contextLength().getAsInt()).append(" tokens");
      } else {
        sb.append(", budget ").append(session.tokenBudget()).append(" tokens");
      }
    } catch (BanterException e) {
      sb.append(" (models unavailable: ").append(e.getMessage()).append(')');
    }
    return sb.toString();
  }

  private String personaName() {
    return session.persona().map(p -> p.id() + " (" + p.displayName() + ")").orElse("the bare model");
  }

  private String prompt() {
    return new AttributedString(session.persona().map(Persona::id).orElse("you") + "> ",
        AttributedStyle.BOLD).toAnsi(terminal);
  }

  private void dim(String text) {
    dimInline(text);
    out.println();
    out.flush();
  }

  private void dimInline(String text) {
    out.print(new AttributedString(text, AttributedStyle.DEFAULT.faint()).toAnsi(terminal));
  }

  private void error(String text) {
    out.println(new AttributedString(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).toAnsi(terminal));
    out.flush();
  }
}

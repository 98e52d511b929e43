package dev.banter.cli;

import dev.banter.api.ChatResponse;
import dev.banter.api.GenerationOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter chat}: the REPL, or one answer with {@code --prompt} or from standard input. */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Chat with a model. Interactive on a terminal: answers stream as they come, Ctrl-C stops "
        + "one, /help lists the commands. With --prompt, or with standard input that is not a "
        + "terminal, prints one streamed answer to standard output and exits. Without --backend and "
        + "--model: the bundled demo model on the local backend, persona witty."})
final class ChatCommand implements Callable<Integer> {
  private static final int MAX_STDIN_BYTES = 1 << 20;

  @ParentCommand
  BanterCommand root;

  @Mixin
  BackendOptions backend;

  @Option(names = "--persona", paramLabel = "ID", description = "The persona to talk to (default witty).")
  String persona;

  @Option(names = "--system", paramLabel = "TEXT", description = "An instruction added to the persona's system prompt.")
  String system;

  @Mixin
  SamplingOptions sampling;

  @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "Ask this, print the answer and exit.")
  String prompt;

  @Option(names = {"-q", "--quiet"}, description = "No summary line after answers, no progress.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    Io io = root.io;
    GenerationOptions options = sampling.toOptions();
    String question = prompt;
    if (question == null && !io.stdinIsTerminal()) {
      question = readAll(io.in);
      if (question.trim().isEmpty()) {
        throw new UsageException("standard input is empty: nothing to ask. Pass --prompt TEXT, or pipe a question in.");
      }
    }
    ModelSetup setup = ModelSetup.build(backend, persona, ModelSetup.PersonaDefault.WITTY, options, io, !quiet);
    try {
      ChatSession session = new ChatSession(setup.model, setup.defaults, system);
      if (question != null) {
        return answerOnce(io, session, question);
      }
      try (Terminal terminal = io.openTerminal()) {
        return new Repl(terminal, session, setup, io.cacheDir().resolve("chat-history"), !quiet).run();
      }
    } finally {
      setup.model.close();
    }
  }

  private int answerOnce(Io io, ChatSession session, String question) {
    ChatResponse r = session.turn(question, text -> {
      io.out.print(text);
      io.out.flush();
    });
    io.out.println();
    io.out.flush();
    if (!quiet) {
      io.err.println(io.errIsTerminal() ? "\033[2m" + Stats.line(r) + "\033[0m" : Stats.line(r));
    }
    return ExitCode.OK;
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    for (int n; (n = in.read(chunk)) > 0; ) {
      buf.write(chunk, 0, n);
      if (buf.size() > MAX_STDIN_BYTES) {
        throw new UsageException("standard input is longer than " + (MAX_STDIN_BYTES >> 10) + " KiB; too long for a"
            + " prompt.");
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}

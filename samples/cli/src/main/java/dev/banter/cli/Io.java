package dev.banter.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/**
 * What a command may touch of its process: standard streams, the environment, whether the
 * streams are terminals, the terminal for line editing, and the shutdown signal. {@link #system()}
 * is the real process; tests build their own, so every command runs in-process against streams
 * they control.
 */
final class Io {
  /** Opens the terminal the chat REPL edits lines on. */
  interface TerminalOpener {
    Terminal open() throws IOException;
  }

  /** Registers what to do when the process is asked to stop (SIGTERM, Ctrl-C). */
  interface ShutdownSignal {
    /** Runs {@code action} on the signal; closing the result unregisters it. */
    Registration onShutdown(Runnable action);
  }

  /** Undoes a registration. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  private final BooleanSupplier stdinIsTerminal;
  private final BooleanSupplier errIsTerminal;
  private final Function<String, String> env;
  private final Path userHome;
  private final TerminalOpener terminals;
  private final ShutdownSignal shutdown;

  private Io(Builder b) {
    this.in = b.in;
    this.out = b.out;
    this.err = b.err;
    this.stdinIsTerminal = b.stdinIsTerminal;
    this.errIsTerminal = b.errIsTerminal;
    this.env = b.env;
    this.userHome = b.userHome;
    this.terminals = b.terminals;
    this.shutdown = b.shutdown;
  }

  /** The process's own streams, environment, terminal and JVM shutdown hooks. */
  static Io system() {
    return builder()
        .in(System.in)
        .out(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8))
        .err(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8))
        .stdinIsTerminal(once(() -> isTerminal(SystemStream.Input)))
        .errIsTerminal(once(() -> isTerminal(SystemStream.Error)))
        .env(System::getenv)
        .userHome(Paths.get(System.getProperty("user.home")))
        .terminals(() -> TerminalBuilder.builder().system(true).build())
        .shutdown(Io::shutdownHook)
        .build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Whether standard input is a terminal (else it is piped or redirected). */
  boolean stdinIsTerminal() {
    return stdinIsTerminal.getAsBoolean();
  }

  /** Whether standard error is a terminal, where progress can be redrawn in place. */
  boolean errIsTerminal() {
    return errIsTerminal.getAsBoolean();
  }

  /** An environment variable, or null. */
  String env(String name) {
    String v = env.apply(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Banter's cache directory: {@code $BANTER_HOME}, else {@code ~/.cache/banter}. */
  Path cacheDir() {
    String home = env("BANTER_HOME");
    return home != null ? Paths.get(home) : userHome.resolve(".cache").resolve("banter");
  }

  /** Where models are downloaded and the demo model is extracted. */
  Path modelsDir() {
    return cacheDir().resolve("models");
  }

  Terminal openTerminal() throws IOException {
    return terminals.open();
  }

  Registration onShutdown(Runnable action) {
    return shutdown.onShutdown(action);
  }

  private static boolean isTerminal(SystemStream stream) {
    for (String provider : new String[] {"jni", "exec"}) {
      try {
        return TerminalProvider.load(provider).isSystemStream(stream);
      } catch (IOException | RuntimeException | LinkageError e) {
        // this provider is not available here; try the next
      }
    }
    return System.console() != null;
  }

  /** Asks the question on first use only: probing the terminal loads a native library. */
  private static BooleanSupplier once(BooleanSupplier probe) {
    Boolean[] answer = new Boolean[1];
    return () -> {
      synchronized (answer) {
        if (answer[0] == null) {
          answer[0] = probe.getAsBoolean();
        }
        return answer[0];
      }
    };
  }

  private static Registration shutdownHook(Runnable action) {
    Thread hook = new Thread(action, "banter-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs
      }
    };
  }

  /** Collects an {@link Io}; every part is required except the flags. */
  static final class Builder {
    private InputStream in;
    private PrintStream out;
    private PrintStream err;
    private BooleanSupplier stdinIsTerminal = () -> false;
    private BooleanSupplier errIsTerminal = () -> false;
    private Function<String, String> env;
    private Path userHome;
    private TerminalOpener terminals;
    private ShutdownSignal shutdown;

    private Builder() {}

    Builder in(InputStream in) {
      this.in = in;
      return this;
    }

    Builder out(PrintStream out) {
      this.out = out;
      return this;
    }

    Builder err(PrintStream err) {
      this.err = err;
      return this;
    }

    Builder stdinIsTerminal(BooleanSupplier terminal) {
      this.stdinIsTerminal = terminal;
      return this;
    }

    Builder errIsTerminal(BooleanSupplier terminal) {
      this.errIsTerminal = terminal;
      return this;
    }

    Builder env(Function<String, String> env) {
      this.env = env;
      return this;
    }

    Builder userHome(Path home) {
      this.userHome = home;
      return this;
    }

    Builder terminals(TerminalOpener terminals) {
      this.terminals = terminals;
      return this;
    }

    Builder shutdown(ShutdownSignal shutdown) {
      this.shutdown = shutdown;
      return this;
    }

    Io build() {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(err, "err");
      Objects.requireNonNull(env, "env");
      Objects.requireNonNull(userHome, "userHome");
      Objects.requireNonNull(terminals, "terminals");
      Objects.requireNonNull(shutdown, "shutdown");
      return new Io(this);
    }
  }
}

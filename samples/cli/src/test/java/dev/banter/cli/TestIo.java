package dev.banter.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jline.terminal.Terminal;

/** An {@link Io} for running commands in-process: captured output, a fake environment, a shutdown button. */
final class TestIo {
  final Captured out = new Captured();
  final Captured err = new Captured();
  final Map<String, String> env = new HashMap<>();
  final List<Runnable> shutdownActions = new CopyOnWriteArrayList<>();
  private final Path home;
  InputStream in = new ByteArrayInputStream(new byte[0]);
  boolean stdinIsTerminal = true;
  Terminal terminal;

  /** Commands see {@code home} as BANTER_HOME (models, history) and as the user's home. */
  TestIo(Path home) {
    this.home = home;
    env.put("BANTER_HOME", home.toString());
  }

  TestIo stdin(String text) {
    in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    stdinIsTerminal = false;
    return this;
  }

  Io io() {
    return Io.builder().in(in).out(out.print).err(err.print).stdinIsTerminal(() -> stdinIsTerminal)
        .env(env::get).userHome(home).terminals(() -> {
          if (terminal == null) {
            throw new IllegalStateException("this test gave the command no terminal");
          }
          return terminal;
        }).shutdown(action -> {
          shutdownActions.add(action);
          return () -> shutdownActions.remove(action);
        }).build();
  }

  int run(String... args) {
    return Cli.run(args, io());
  }

  /** Presses the shutdown button (what SIGTERM does to the real process). */
  void shutdown() {
    for (Runnable r : shutdownActions) {
      r.run();
    }
  }
}

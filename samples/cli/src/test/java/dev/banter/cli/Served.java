package dev.banter.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code banter serve} running in-process on a free port, until {@link #stop()}. */
final class Served implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Listening on (http://127\\.0\\.0\\.1:(\\d+)/v1)");

  final TestIo io;
  final CompletableFuture<Integer> exit;
  final String baseUrl;
  final int port;

  private Served(TestIo io, CompletableFuture<Integer> exit, String baseUrl, int port) {
    this.io = io;
    this.exit = exit;
    this.baseUrl = baseUrl;
    this.port = port;
  }

  /** Starts {@code banter serve --port 0 args...} and waits until it listens. */
  static Served start(Path home, String... args) throws InterruptedException {
    return startWith(home, io -> { }, args);
  }

  /** Like {@link #start}, after {@code setup} prepared the command's environment. */
  static Served startWith(Path home, java.util.function.Consumer<TestIo> setup, String... args)
      throws InterruptedException {
    TestIo io = new TestIo(home);
    setup.accept(io);
    String[] all = new String[args.length + 3];
    all[0] = "serve";
    all[1] = "--port";
    all[2] = "0";
    System.arraycopy(args, 0, all, 3, args.length);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> io.run(all));
    io.out.await(t -> LISTENING.matcher(t).find() || exit.isDone(), Duration.ofSeconds(60), "the server to listen");
    Matcher m = LISTENING.matcher(io.out.text());
    if (!m.find()) {
      throw new AssertionError("serve ended with " + exit.join() + ":\n" + io.err.text());
    }
    return new Served(io, exit, m.group(1), Integer.parseInt(m.group(2)));
  }

  /** Sends the shutdown signal and returns the exit code. */
  int stop() throws Exception {
    CompletableFuture.runAsync(io::shutdown);
    return exit.get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (!exit.isDone()) {
      stop();
    }
  }
}

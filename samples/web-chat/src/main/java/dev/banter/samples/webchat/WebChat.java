package dev.banter.samples.webchat;

import dev.banter.api.BanterException;
import dev.banter.api.ChatModel;
import dev.banter.api.GenerationOptions;
import dev.banter.api.ModelInfo;
import dev.banter.core.Banter;
import dev.banter.samples.demo.DemoModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat page for any {@link ChatModel}, served by Vert.x: a persona picker, answers streamed
 * into the page as server-sent events while they are generated, a stop button, and one
 * conversation per browser session. Run it with {@link #main} (see {@code --help}), or serve a
 * model of your own; the server runs until {@link #close()}. Thread-safe.
 *
 * <pre>{@code
 * try (ChatModel model = Banter.builder().backend("local").set("model", "model.gguf").build();
 *      WebChat chat = WebChat.builder(model).port(8080).start()) {
 *   System.out.println("Open " + chat.url());
 *   Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class WebChat implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final ExecutorService turns;
  private final String host;

  private WebChat(Vertx vertx, HttpServer server, ExecutorService turns, String host) {
    this.vertx = vertx;
    this.server = server;
    this.turns = turns;
    this.host = host;
  }

  /** Starts configuring a web chat for {@code model}; the model stays the caller's to close. */
  public static Builder builder(ChatModel model) {
    return new Builder(model);
  }

  /** The port the server listens on (the one picked when 0 was asked for). */
  public int port() {
    return server.actualPort();
  }

  /** The address of the chat page. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port() + "/";
  }

  /** Stops the server; answers being written are cut off. */
  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    } finally {
      turns.shutdownNow();
    }
  }

  /** Collects a web chat's settings. Not thread-safe. */
  public static final class Builder {
    private final ChatModel model;
    private String host = "127.0.0.1";
    private int port = 8080;
    private String persona;
    private GenerationOptions options = GenerationOptions.defaults();
    private Duration pace = Duration.ZERO;

    private Builder(ChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /** The address to listen on; {@code 127.0.0.1} unless set. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** @param port 0 to 65535; 0 picks a free port */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The persona new conversations start with; the model's default persona unless set. */
    public Builder persona(String personaId) {
      this.persona = Objects.requireNonNull(personaId, "personaId");
      return this;
    }

    /**
     * Sampling options every conversation's turns carry (a temperature, stop sequences...); the
     * persona's defaults fill in what they leave unset.
     */
    public Builder options(GenerationOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The shortest time between two streamed pieces of text, zero (the default) for none. A pace
     * turns a fast model into a readable typewriter; the model is asked for the next piece only
     * when the page is ready for it.
     */
    public Builder pace(Duration pace) {
      Objects.requireNonNull(pace, "pace");
      if (pace.isNegative()) {
        throw new IllegalArgumentException("pace must be >= 0, got " + pace);
      }
      this.pace = pace;
      return this;
    }

    /**
     * Starts the server and returns once it listens.
     *
     * @throws IllegalArgumentException when the persona is not one of the model's
     * @throws IllegalStateException when the address cannot be bound (for example, the port is taken)
     */
    public WebChat start() {
      if (persona != null && model.personas().stream().noneMatch(p -> p.id().equals(persona))) {
        StringBuilder known = new StringBuilder();
        model.personas().forEach(p -> known.append(known.length() == 0 ? "" : ", ").append(p.id()));
        throw new IllegalArgumentException("Unknown persona '" + persona + "'. Available: " + known + ".");
      }
      AtomicInteger n = new AtomicInteger();
      ExecutorService turns = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "web-chat-turn-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      Vertx vertx = Vertx.vertx();
      ChatRoutes routes = new ChatRoutes(vertx, model, label(model), Optional.ofNullable(persona), options, pace,
          turns);
      try {
        HttpServer server = vertx.createHttpServer()
            .requestHandler(routes.router())
            .listen(port, host)
            .toCompletionStage().toCompletableFuture().join();
        return new WebChat(vertx, server, turns, host);
      } catch (CompletionException e) {
        vertx.close();
        turns.shutdownNow();
        throw new IllegalStateException("Cannot listen on " + host + ":" + port + ": " + e.getCause().getMessage(),
            e.getCause());
      }
    }

    private static String label(ChatModel model) {
      try {
        List<ModelInfo> models = model.models();
        return models.isEmpty() ? "" : models.get(0).id();
      } catch (BanterException e) {
        return "";
      }
    }
  }

  /**
   * Runs the web chat from the command line; {@code --help} lists the options. Without options it
   * serves the bundled demo model on the local backend at http://127.0.0.1:8080/.
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (options.help) {
      out.println(Options.USAGE);
      return 0;
    }
    ChatModel model;
    try {
      model = buildModel(options);
    } catch (BanterException e) {
      err.println(e.getMessage());
      return 1;
    }
    WebChat chat;
    try {
      WebChat.Builder b = builder(model).host(options.host).port(options.port).pace(options.pace)
          .persona(options.persona);
      if (options.usesDemoModel()) {
        b.options(demoOptions());
      }
      chat = b.start();
    } catch (RuntimeException e) {
      model.close();
      err.println(e.getMessage());
      return 1;
    }
    out.println("Banter web chat on " + chat.url() + " (backend " + options.backend + "). Ctrl+C stops it.");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      chat.close();
      model.close();
    }, "web-chat-shutdown"));
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static ChatModel buildModel(Options options) {
    Banter.Builder b = Banter.builder().backend(options.backend);
    if (options.usesDemoModel()) {
      b.set("model", DemoModel.path().toString());
    }
    options.model.ifPresent(m -> b.set("model", m));
    b.settings(options.settings);
    options.personaFiles.forEach(b::addPersonaFile);
    return b.build();
  }

  /**
   * The sampling the demo model was made for, and its stop sequence, which ends an answer before
   * the model writes the user's next line: every conversation on the demo model carries them.
   */
  static GenerationOptions demoOptions() {
    return GenerationOptions.builder().temperature(0.8).topP(0.95).repetitionPenalty(1.1).stop(DemoModel.STOP).build();
  }
}

package dev.banter.cli;

import dev.banter.api.BanterException;
import dev.banter.api.ChatModel;
import dev.banter.api.GenerationOptions;
import dev.banter.openai.OpenAiServerHandler;
import dev.banter.openai.ServerConnections;
import dev.banter.spi.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code banter serve}: any backend behind an OpenAI-compatible HTTP server
 * ({@link OpenAiServerHandler} on Vert.x), until SIGTERM or Ctrl-C; then it stops accepting
 * connections and lets running answers finish within the grace period.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve a backend over the OpenAI protocol: POST /v1/chat/completions and POST /v1/responses "
        + "(both also streamed), GET|DELETE /v1/responses/{id}, GET /v1/models, GET /v1/models/{id}, GET /health, "
        + "GET /metrics (Prometheus). Any OpenAI client works; "
        + "point it at http://HOST:PORT/v1. "
        + "Requests reach the model as sent (no persona) unless --persona is given. One access-log "
        + "line per request goes to standard error. SIGTERM or Ctrl-C stops the server gracefully: no "
        + "new connections, running answers finish within --grace; the exit status is then 143 after "
        + "SIGTERM and 130 after Ctrl-C, as for any process a signal ends."})
final class ServeCommand implements Callable<Integer> {
  @ParentCommand
  BanterCommand root;

  @Mixin
  BackendOptions backend;

  @Option(names = "--persona", paramLabel = "ID",
      description = "Answer as this persona when a request names none (default: no persona).")
  String persona;

  @Mixin
  SamplingOptions sampling;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}; 0.0.0.0 exposes the server to the network).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port to listen on (default ${DEFAULT-VALUE}; 0 picks a free port and prints it).")
  int port;

  @Option(names = "--api-key", paramLabel = "KEY",
      description = "Require 'Authorization: Bearer KEY' on /v1 (default: $BANTER_API_KEY; none if unset or empty).")
  String apiKey;

  @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "16",
      description = "Chat completions and responses served at once; more get 429 with Retry-After "
          + "(default ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Option(names = "--retry-after", paramLabel = "DURATION", defaultValue = "1s",
      converter = Units.DurationConverter.class,
      description = "The Retry-After sent with a 429 (default ${DEFAULT-VALUE}).")
  Duration retryAfter;

  @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "4MiB", converter = Units.ByteSizeConverter.class,
      description = "Largest request body accepted; larger gets 413 (default ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(names = "--response-store", paramLabel = "SIZE", defaultValue = "16MiB",
      converter = Units.ByteSizeConverter.class,
      description = "Memory for responses kept for GET /v1/responses/{id} and previous_response_id, least recently "
          + "used dropped first; 0 keeps none (default ${DEFAULT-VALUE}).")
  long responseStore;

  @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "30s", converter = Units.DurationConverter.class,
      description = "How long running answers may take to finish on shutdown (default ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(names = "--header-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Units.DurationConverter.class,
      description = "How long a new connection may take to send a request's headers (default ${DEFAULT-VALUE}).")
  Duration headerTimeout;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
      converter = Units.DurationConverter.class,
      description = "How long a keep-alive connection may sit idle between requests (default ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--body-timeout", paramLabel = "DURATION", defaultValue = "30s",
      converter = Units.DurationConverter.class,
      description = "How long a request body may take to arrive; later gets 408 (default ${DEFAULT-VALUE}).")
  Duration bodyTimeout;

  @Option(names = "--max-connections-per-client", paramLabel = "N", defaultValue = "64",
      description = "Connections one client address may hold at once; more are closed (default ${DEFAULT-VALUE}).")
  int maxConnectionsPerClient;

  @Option(names = "--no-metrics", description = "Answer GET /metrics with 404 instead of the Prometheus metrics.")
  boolean noMetrics;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN",
      description = "Let web pages from ORIGIN (https://app.example, or * for any) call the API from a browser; "
          + "repeatable. Off by default.")
  java.util.List<String> corsOrigins = new java.util.ArrayList<>();

  @Option(names = {"-q", "--quiet"}, description = "No access log.")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    Io io = root.io;
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535, got " + port);
    }
    if (maxConcurrent < 1) {
      throw new UsageException("--max-concurrent must be at least 1, got " + maxConcurrent);
    }
    if (maxConnectionsPerClient < 1) {
      throw new UsageException("--max-connections-per-client must be at least 1, got " + maxConnectionsPerClient);
    }
    for (Duration d : new Duration[] {headerTimeout, idleTimeout, bodyTimeout}) {
      if (d.isZero()) {
        throw new UsageException("--header-timeout, --idle-timeout and --body-timeout must be longer than 0");
      }
    }
    if (maxBody < 1024) {
      throw new UsageException("--max-body must be at least 1KiB, got " + maxBody + " bytes");
    }
    if (apiKey != null && apiKey.isEmpty()) {
      throw new UsageException("--api-key must not be empty; leave it out to serve without a key");
    }
    GenerationOptions options = sampling.toOptions();
    String key = apiKey != null ? apiKey : io.env("BANTER_API_KEY");
    if (key != null && key.isEmpty()) {
      key = null;
    }
    if ((backend.backend == null || backend.backend.equals("local")) && backend.config == null) {
      // A server's first request should not pay for the JIT compiling the kernels.
      backend.settings.putIfAbsent("warm-up", "true");
    }
    ModelSetup setup = ModelSetup.build(backend, persona, ModelSetup.PersonaDefault.NONE, options, io, true);
    ChatModel model = setup.model;
    OpenAiServerHandler.Builder hb = OpenAiServerHandler.builder(model).maxConcurrentRequests(maxConcurrent)
        .maxBodyBytes(maxBody).bodyTimeout(bodyTimeout).retryAfter(retryAfter).metrics(!noMetrics)
        .responseStoreBytes(responseStore);
    for (String origin : corsOrigins) {
      try {
        hb.corsOrigin(origin);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--cors-origin: " + e.getMessage());
      }
    }
    ServerConnections connections = ServerConnections.builder().headerTimeout(headerTimeout)
        .idleTimeout(idleTimeout).maxConnectionsPerClient(maxConnectionsPerClient).build();
    if (key != null) {
      hb.apiKey(Secret.of(key));
    }
    Vertx vertx = Vertx.vertx();
    HttpServer server;
    try {
      OpenAiServerHandler handler = hb.build();
      server = vertx.createHttpServer(ServerConnections.serverOptions().setHost(host).setPort(port))
          .connectionHandler(connections)
          .requestHandler(connections.wrap(quiet ? handler
              : new AccessLog(handler, io.err, Clock.systemUTC(), connections)))
          .listen().toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      vertx.close();
      model.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new BanterException("Cannot listen on " + host + ":" + port + ": " + cause.getMessage()
          + ". Pick another --port (0 picks a free one) or --host.", cause);
    }
    String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.actualPort() + "/v1";
    io.out.println("Serving " + setup.modelLabel + " (backend " + setup.backendId + ")"
        + (persona == null ? "" : " as " + persona) + (key == null ? "" : ", bearer key required") + ".");
    io.out.println("Listening on " + url);
    if (key == null && !isLoopback(host)) {
      io.err.println("Warning: no --api-key, and " + host + " is reachable from other machines: anyone who can"
          + " connect can use the model.");
    }
    io.out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      if (stopping.compareAndSet(false, true)) {
        io.err.println("Shutting down: no new connections; running answers get up to " + grace.getSeconds()
            + " s to finish.");
        connections.drain();
        try {
          server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS).toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
          io.err.println("Shutdown: " + e.getCause());
        } finally {
          vertx.close().toCompletionStage().toCompletableFuture().join();
          model.close();
          io.err.println("Stopped.");
          io.err.flush();
          stopped.countDown();
        }
      }
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Io.Registration registration = io.onShutdown(stop);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      stop.run();
      throw e;
    } finally {
      registration.close();
    }
    return ExitCode.OK;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }
}

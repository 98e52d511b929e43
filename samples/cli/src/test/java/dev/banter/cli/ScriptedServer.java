package dev.banter.cli;

import dev.banter.openai.OpenAiServerHandler;
import dev.banter.openai.testing.ScriptedChatModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** An OpenAI-compatible server in front of a {@link ScriptedChatModel}: the far end of an inference-server backend. */
final class ScriptedServer implements AutoCloseable {
  final ScriptedChatModel model = new ScriptedChatModel();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  ScriptedServer() {
    server = vertx.createHttpServer().requestHandler(OpenAiServerHandler.builder(model).build())
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** The command-line arguments that make a banter command use this server. */
  String[] backendArgs() {
    return new String[] {"--backend", "inference-server", "--set", "base-url=" + baseUrl(), "--set",
        "health-interval=0s"};
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}

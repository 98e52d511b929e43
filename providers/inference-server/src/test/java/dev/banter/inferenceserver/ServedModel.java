package dev.banter.inferenceserver;

import dev.banter.openai.OpenAiServerHandler;
import dev.banter.openai.testing.ScriptedChatModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A {@link ScriptedChatModel} served over HTTP by {@link OpenAiServerHandler} on 127.0.0.1. */
final class ServedModel implements AutoCloseable {
  final ScriptedChatModel model = new ScriptedChatModel();
  final OpenAiServerHandler handler;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpServer server;

  ServedModel(UnaryOperator<OpenAiServerHandler.Builder> settings) {
    handler = settings.apply(OpenAiServerHandler.builder(model)).build();
    try {
      server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // test teardown
    }
  }
}

package dev.banter.openai.testing;

import dev.banter.openai.OpenAiServerHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A {@link ScriptedChatModel} served over HTTP by {@link OpenAiServerHandler} on 127.0.0.1: the
 * far end for a provider's run of spi's backend contract, and for round trips through both
 * halves of the protocol.
 */
public final class ServedModel implements AutoCloseable {
  public final ScriptedChatModel model = new ScriptedChatModel();
  public final OpenAiServerHandler handler;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpServer server;

  /** Serves the model with the handler {@code settings} make of a default builder. */
  public ServedModel(UnaryOperator<OpenAiServerHandler.Builder> settings) {
    handler = settings.apply(OpenAiServerHandler.builder(model)).build();
    try {
      server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
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

/**
 * The OpenAI-compatible chat protocol in both directions: a streaming client that the HTTP
 * backends build on, and a server handler that exposes any {@code ChatModel} over HTTP.
 */
module dev.banter.openai {
  requires transitive dev.banter.spi;
  requires transitive io.vertx.core;
  requires com.fasterxml.jackson.databind;
  requires io.netty.transport;
  requires java.logging;

  exports dev.banter.openai;
  opens dev.banter.openai to com.fasterxml.jackson.databind;
}

/**
 * The {@code banter} command: chat, serve over the OpenAI protocol, manage model files, and the
 * local engine's developer tools. It reads the engine's packages, which {@code dev.banter.local}
 * opens to this module alone.
 */
@SuppressWarnings("requires-automatic") // JLine names its module in its manifest only
module dev.banter.cli {
  requires dev.banter.core;
  requires dev.banter.local;
  requires dev.banter.openai;
  requires dev.banter.samples.demo;
  requires dev.banter.template;
  requires com.fasterxml.jackson.databind;
  requires info.picocli;
  requires io.vertx.core;
  requires java.net.http;
  requires org.jline;

  opens dev.banter.cli to info.picocli;
}

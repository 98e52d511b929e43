/**
 * The {@code local} backend: a pure-Java GGUF inference engine that runs models inside the JVM.
 * Applications select it by id ({@code Banter.builder().backend("local")}); nothing here is API
 * but its provider. The engine's packages are open to the {@code banter} command's tools only.
 */
module dev.banter.local {
  requires transitive dev.banter.spi;
  requires dev.banter.template;
  requires java.logging;
  requires static jdk.incubator.vector;

  exports dev.banter.local;
  exports dev.banter.local.gguf to dev.banter.cli;
  exports dev.banter.local.model to dev.banter.cli;
  exports dev.banter.local.tensor to dev.banter.cli;
  exports dev.banter.local.tokenizer to dev.banter.cli;

  provides dev.banter.spi.BackendProvider with dev.banter.local.LocalBackendProvider;
}

/** The {@code openai} backend: OpenAI's API. */
module dev.banter.openai.platform {
  requires transitive dev.banter.spi;
  requires dev.banter.openai;

  exports dev.banter.openai.platform;

  provides dev.banter.spi.BackendProvider with dev.banter.openai.platform.OpenAiProvider;
}

/** The {@code xai} backend: xAI's Grok API. */
module dev.banter.xai {
  requires transitive dev.banter.spi;
  requires dev.banter.openai;

  exports dev.banter.xai;

  provides dev.banter.spi.BackendProvider with dev.banter.xai.XaiProvider;
}

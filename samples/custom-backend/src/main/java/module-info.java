/**
 * A third-party Banter backend plugin, built against banter-spi alone: it declares its provider
 * here for the module path and in {@code META-INF/services} for the class path.
 */
module dev.banter.samples.eliza {
  requires dev.banter.spi;

  provides dev.banter.spi.BackendProvider with dev.banter.samples.eliza.ElizaProvider;
}

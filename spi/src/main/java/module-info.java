/** What a Banter backend plugin implements, found with {@link java.util.ServiceLoader}. */
module dev.banter.spi {
  requires transitive dev.banter.api;
  requires java.logging;

  exports dev.banter.spi;
}

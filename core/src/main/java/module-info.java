/**
 * Banter's runtime: discovers backends, renders personas, keeps conversation memory, guards calls
 * (retries, circuit breaker, rate limit, bulkhead, fallback) and reports events to observers.
 */
module dev.banter.core {
  requires transitive dev.banter.spi;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires java.logging;

  exports dev.banter.core;
  exports dev.banter.core.tools;

  uses dev.banter.spi.BackendProvider;
  uses dev.banter.spi.PersonaProvider;
  uses dev.banter.core.ChatObserver;
}

/**
 * Banter embedded in a plain Java application: it reads Banter's API and runtime, and the local
 * engine joins on the module path as a provider of the backend service, found by its id.
 */
module dev.banter.samples.embedded {
  requires dev.banter.core;
  requires dev.banter.samples.demo;

  exports dev.banter.samples.embedded;
}

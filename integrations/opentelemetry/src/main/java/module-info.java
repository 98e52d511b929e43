/**
 * Traces Banter's chat calls with OpenTelemetry: register {@code OpenTelemetryObserver} with
 * {@code Banter.builder().observer(...)}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // OpenTelemetry ships module names, no descriptors.
module dev.banter.opentelemetry {
  requires transitive dev.banter.core;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports dev.banter.opentelemetry;
}

/** Reports Banter's chat calls to Micrometer: register {@code MicrometerObserver} with {@code Banter.builder().observer(...)}. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer ships no module descriptor, only a module name.
module dev.banter.micrometer {
  requires transitive dev.banter.core;
  requires transitive micrometer.core;

  exports dev.banter.micrometer;
}

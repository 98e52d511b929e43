package dev.banter.local;

import dev.banter.spi.BackendConfig;
import java.nio.file.Path;

/** The demo model of the test resources and backends running it. */
final class Demo {
  private Demo() {}

  static Path resource(String name) {
    return TestResources.path(name);
  }

  static Path model() {
    return resource("models/banter-demo-fortunes-q8_0.gguf");
  }

  /** Settings for the demo model: 2 row threads, 2 slots. */
  static BackendConfig.Builder config() {
    return BackendConfig.builder("local").set("model", model().toString()).set("threads", "2").set("slots", "2");
  }

  static LocalBackend backend(BackendConfig.Builder config) {
    return (LocalBackend) new LocalBackendProvider().create(config.build());
  }
}

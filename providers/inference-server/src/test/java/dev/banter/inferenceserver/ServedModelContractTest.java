package dev.banter.inferenceserver;

import dev.banter.openai.testing.ServedBackendContract;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;

/**
 * spi's backend contract for the inference-server backend, served end to end: the backend talks
 * HTTP to Banter's own server handler wrapping a scripted model.
 */
class ServedModelContractTest extends ServedBackendContract {
  @Override
  protected Backend create(String baseUrl) {
    return new InferenceServerProvider().create(BackendConfig.builder("inference-server")
        .set("base-url", baseUrl).set("health-interval", "0").environment(n -> null).build());
  }
}

package dev.banter.openai.platform;

import dev.banter.openai.testing.ServedBackendContract;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;

/** spi's backend contract for the openai backend, served end to end by Banter's own server handler. */
class OpenAiServedContractTest extends ServedBackendContract {
  @Override
  protected Backend create(String baseUrl) {
    return new OpenAiProvider().create(BackendConfig.builder("openai").set("base-url", baseUrl)
        .set("model", "scripted").set("api-key", "sk-contract-test").environment(n -> null).build());
  }
}

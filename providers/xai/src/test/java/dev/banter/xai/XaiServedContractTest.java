package dev.banter.xai;

import dev.banter.openai.testing.ServedBackendContract;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;

/** spi's backend contract for the xai backend, served end to end by Banter's own server handler. */
class XaiServedContractTest extends ServedBackendContract {
  @Override
  protected Backend create(String baseUrl) {
    return new XaiProvider().create(BackendConfig.builder("xai").set("base-url", baseUrl).set("model", "scripted")
        .set("api-key", "xai-contract-test").environment(n -> null).build());
  }
}

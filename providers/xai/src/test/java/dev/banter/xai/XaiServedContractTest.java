package dev.banter.xai;

import dev.banter.api.ChatChunk;
import dev.banter.openai.testing.ServedModel;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.testkit.BackendContractTest;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;

/**
 * spi's backend contract for the xai backend, end to end over HTTP: its base URL points at
 * Banter's own server handler wrapping a scripted model.
 */
class XaiServedContractTest extends BackendContractTest {
  private ServedModel served;

  @Override
  protected Backend createBackend() {
    served = new ServedModel(b -> b);
    served.model.chunks.set(Collections.nCopies(40, ChatChunk.ofText("word ")));
    return new XaiProvider().create(BackendConfig.builder("xai").set("base-url", served.baseUrl())
        .set("model", "scripted").set("api-key", "xai-contract-test").environment(n -> null).build());
  }

  @AfterEach
  void stopServer() {
    if (served != null) {
      served.close();
    }
  }
}

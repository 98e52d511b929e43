package dev.banter.inferenceserver;

import dev.banter.api.ChatChunk;
import dev.banter.openai.testing.ServedModel;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.testkit.BackendContractTest;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;

/**
 * spi's backend contract for the inference-server backend, served end to end: the backend talks
 * HTTP to Banter's own server handler wrapping a scripted model.
 */
class ServedModelContractTest extends BackendContractTest {
  private ServedModel served;

  @Override
  protected Backend createBackend() {
    served = new ServedModel(b -> b);
    served.model.chunks.set(Collections.nCopies(40, ChatChunk.ofText("word ")));
    return new InferenceServerProvider().create(BackendConfig.builder("inference-server")
        .set("base-url", served.baseUrl()).set("health-interval", "0").environment(n -> null).build());
  }

  @AfterEach
  void stopServer() {
    if (served != null) {
      served.close();
    }
  }
}

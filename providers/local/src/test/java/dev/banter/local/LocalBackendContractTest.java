package dev.banter.local;

import dev.banter.api.ChatRequest;
import dev.banter.api.GenerationOptions;
import dev.banter.spi.Backend;
import dev.banter.spi.testkit.BackendContractTest;

/** The shared backend contract, held by the local backend on the demo model. */
class LocalBackendContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return Demo.backend(Demo.config());
  }

  /** A seeded request whose answer on the demo model runs past a dozen tokens. */
  @Override
  protected ChatRequest longRequest() {
    return ChatRequest.builder().user("Tell me a long story about a robot who learns to laugh.")
        .options(GenerationOptions.builder().maxTokens(64).seed(7).temperature(0.8).build()).build();
  }
}

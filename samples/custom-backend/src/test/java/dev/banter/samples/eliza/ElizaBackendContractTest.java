package dev.banter.samples.eliza;

import dev.banter.api.ChatRequest;
import dev.banter.api.GenerationOptions;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.testkit.BackendContractTest;

class ElizaBackendContractTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new ElizaProvider().create(BackendConfig.builder("eliza").set("word-delay", "2ms").build());
  }

  @Override
  protected ChatRequest longRequest() {
    return ChatRequest.builder().system("Be funny.").user("I need a very long holiday somewhere warm")
        .options(GenerationOptions.builder().maxTokens(64).build()).build();
  }
}

package dev.banter.openai.testing;

import dev.banter.api.ChatChunk;
import dev.banter.spi.Backend;
import dev.banter.spi.testkit.BackendContractTest;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;

/**
 * spi's backend contract for an OpenAI-compatible provider, end to end over HTTP: the backend
 * under test is pointed at a {@link ServedModel} whose scripted answer is forty words long. A
 * provider's test extends this and creates its backend for the given base URL.
 */
public abstract class ServedBackendContract extends BackendContractTest {
  private ServedModel served;

  /** The provider's backend, talking to {@code baseUrl} ({@code http://127.0.0.1:<port>/v1}). */
  protected abstract Backend create(String baseUrl);

  @Override
  protected final Backend createBackend() {
    served = new ServedModel(b -> b);
    served.model.chunks.set(Collections.nCopies(40, ChatChunk.ofText("word ")));
    return create(served.baseUrl());
  }

  @AfterEach
  void stopServer() {
    if (served != null) {
      served.close();
    }
  }
}

package dev.banter.inferenceserver;

import dev.banter.api.Usage;
import dev.banter.openai.testing.OpenAiCompatibleBackendContract;
import dev.banter.openai.testing.Transcripts;
import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared contract against one endpoint speaking vLLM's dialect (continuous usage, {@code reasoning}). */
class InferenceServerBackendTest extends OpenAiCompatibleBackendContract {
  @Override
  protected Backend create(Map<String, String> settings) {
    Map<String, String> s = new LinkedHashMap<>(settings);
    s.putIfAbsent("health-interval", "0");
    return new InferenceServerProvider().create(BackendConfig.builder("inference-server").setAll(s)
        .environment(n -> null).build());
  }

  @Override
  protected String textStream() {
    return Transcripts.load("vllm-text.sse");
  }

  @Override
  protected Usage textStreamUsage() {
    return Usage.of(9, 4);
  }

  @Override
  protected String contextLengthBody() {
    return Transcripts.load("vllm-context-length.json");
  }

  @Override
  protected int contextLengthPrompt() {
    return 5000;
  }

  @Override
  protected int contextLengthLimit() {
    return 4096;
  }

  @Override
  protected String maxTokensField() {
    return "max_tokens";
  }
}

/**
 * The {@code inference-server} backend: GPU inference servers (vLLM, llama.cpp server, TGI,
 * SGLang, Ollama) behind their OpenAI-compatible endpoints, balanced and failed over.
 */
module dev.banter.inferenceserver {
  requires transitive dev.banter.spi;
  requires dev.banter.openai;
  requires java.logging;

  exports dev.banter.inferenceserver;

  provides dev.banter.spi.BackendProvider with dev.banter.inferenceserver.InferenceServerProvider;
}

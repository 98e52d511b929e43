/**
 * Inference: transformer graphs for the {@code llama}, {@code qwen2} and {@code grok}
 * architectures over GGUF weights, matching llama.cpp's logits.
 *
 * <p>Start from {@link dev.banter.local.model.Model#load(java.nio.file.Path, int)}; a model is
 * shared, and each concurrent sequence gets a {@link dev.banter.local.model.Session} (KV cache
 * and working memory) from {@code newSession}. A session appends prompt tokens in batches
 * (matrix-matrix products) and generated tokens one by one, and can be cut back to a shared
 * prefix to reuse its cache for the next turn of a chat. Concurrent sequences of one model can
 * decode together: {@link dev.banter.local.model.Session#decode} runs one token of each in a
 * single pass over the weights ({@code SharedPass}), with each session's logits bit for bit
 * those of its own one-token append. {@link dev.banter.local.model.Sampler}
 * picks tokens from logits (llama.cpp's sampler chain, seeded), and
 * {@link dev.banter.spi.StopSequences} (in the SPI) holds back text that may start a stop sequence.
 *
 * <p>Inside: {@code Hyperparameters} reads the architecture's metadata with llama.cpp's defaults;
 * {@code Tensors} checks and wraps the weights; {@code Transformer} holds what the graphs share
 * (embedding, RoPE attention with grouped-query heads, RMS norm, output head) and
 * {@code LlamaTransformer} (llama, qwen2) and {@code GrokTransformer} (mixture of experts,
 * soft-capped attention, scales, extra norms) each write one layer; {@code Ops} and {@code Rope}
 * compute element-wise steps as ggml does; {@code Attention} attends over the cache, a unit of
 * (token, key/value head) per claim of the row pool's threads; {@code TokenProducts} runs a
 * decoded token's matrix-vector products (q/k/v, gate/up fused) in claimed chunks of rows;
 * {@code VectorOps} is the Vector API twin of attention and SwiGLU; {@code KvCache} and
 * {@code Activations} are the flat float arrays a session owns.
 *
 * <p>Speed: decode streams every weight once per token, so it runs at the memory bandwidth the
 * kernels reach; prefill multiplies each weight block with the whole batch. A pass allocates
 * nothing. Results do not depend on the thread count nor on how a prompt is cut into passes.
 */
package dev.banter.local.model;

/**
 * The numeric core of the local engine: GGML block formats and the matrix products the model
 * runs on weights that stay memory-mapped.
 *
 * <p>Start from {@link dev.banter.local.tensor.WeightMatrix}: one per weight tensor, over the
 * tensor's little-endian bytes; {@code matvec} for decode, {@code matmul} for a prefill batch
 * (each weight read once per batch), {@code dequantizeRow} for embedding lookup. Split rows over
 * threads with a {@link dev.banter.local.tensor.RowPool}, one per model. Each block format has
 * one class holding its layout, constants and scalar kernels ({@link dev.banter.local.tensor.Q8_0},
 * {@link dev.banter.local.tensor.Q4_0}, {@link dev.banter.local.tensor.Q4_K},
 * {@link dev.banter.local.tensor.Q5_K}, {@link dev.banter.local.tensor.Q6_K},
 * {@link dev.banter.local.tensor.Q2_K}, {@link dev.banter.local.tensor.Q3_K},
 * {@link dev.banter.local.tensor.IQ4_XS},
 * {@link dev.banter.local.tensor.F16}, {@link dev.banter.local.tensor.BF16},
 * {@link dev.banter.local.tensor.F32}); writers use their {@code quantizeRow} methods.
 * {@link dev.banter.local.tensor.GgmlType} names every GGML type with its GGUF id and geometry.
 *
 * <pre>{@code
 * RowPool pool = new RowPool(Runtime.getRuntime().availableProcessors());
 * WeightMatrix w1 = WeightMatrix.of("blk.0.ffn_gate.weight", GgmlType.Q4_K, 5632, 2048, slice);
 * w1.matvec(x, hidden, pool);
 * }</pre>
 *
 * <p>Kernels: plain Java everywhere (the Android path, and the specification), the incubator
 * Vector API on a JVM started with {@code --add-modules jdk.incubator.vector}; both compute with
 * float32 activations.
 */
package dev.banter.local.tensor;

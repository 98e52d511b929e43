/**
 * Benchmark models: {@link dev.banter.local.bench.MakeBenchModel} writes "bench-1b", a llama
 * model of TinyLlama-1.1B's shape with seeded random weights, as Q8_0, Q4_0 or Q4_K_M, so that
 * decode and prefill speed can be measured against llama.cpp on the very same file.
 */
package dev.banter.local.bench;

/**
 * JMH microbenchmarks of {@code dev.banter.local.tensor}: {@link
 * dev.banter.local.benchmarks.DotBenchmark} (one row, cache-resident), {@link
 * dev.banter.local.benchmarks.MatvecBenchmark} (decode, weights streamed from memory) and {@link
 * dev.banter.local.benchmarks.MatmulBenchmark} (prefill batches), each with a {@code Scalar}
 * twin that forks with {@code -Dbanter.vector=false}. Run them from the shaded {@code
 * benchmarks.jar}; see the module's README.
 */
package dev.banter.local.benchmarks;

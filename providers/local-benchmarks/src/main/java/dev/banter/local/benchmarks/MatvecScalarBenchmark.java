package dev.banter.local.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/** {@link MatvecBenchmark} on the plain-Java kernels (the Android path). */
@Fork(value = 1, jvmArgsAppend = {"-Dbanter.vector=false"})
public class MatvecScalarBenchmark extends MatvecBenchmark {}

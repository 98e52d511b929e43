package dev.banter.local.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/** {@link DotBenchmark} with the Vector API kernels switched off: the Android path. */
@Fork(value = 1, jvmArgsAppend = {"-Dbanter.vector=false"})
public class DotScalarBenchmark extends DotBenchmark {}

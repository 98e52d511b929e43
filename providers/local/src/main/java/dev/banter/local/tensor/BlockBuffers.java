package dev.banter.local.tensor;

/**
 * The two small arrays some block kernels fill per block and read back as vectors (a block's
 * decoded scales, a sub-block's looked-up levels), kept with a thread's {@link Scratch} so that a
 * product allocates nothing: allocated per row they were the only bytes the compiled kernels still
 * allocated, which hid a real fallback to the Vector API's Java implementation from the check that
 * looks for one ({@code KernelAllocationTest}).
 */
final class BlockBuffers {
  /** Decoded scales of one super-block (up to 32). */
  final float[] scales = new float[32];
  /** Levels of one block of 32, with the slack a four-lane byte load reads past them. */
  final byte[] levels = new byte[32 + Scratch.SLACK];
}

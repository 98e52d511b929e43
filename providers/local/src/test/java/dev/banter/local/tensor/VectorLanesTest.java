package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The build runs the kernel tests at 4, 8 and 16 float lanes (see the pom's executions); this checks
 * that each run really has the width it claims, so a run that silently fell back to another width
 * (or to the scalar kernels) fails instead of passing vacuously.
 */
class VectorLanesTest {
  @Test
  void the_kernels_run_at_the_width_this_test_run_names() {
    String lanes = System.getProperty("banter.test.lanes");
    assumeTrue(lanes != null, "this run names no width");
    assertTrue(WeightMatrix.vectorized(), "the vector kernels are off");
    assertEquals(Integer.parseInt(lanes), VectorKernels.L);
  }
}

package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule at the head of {@link VectorKernels}, checked: no method of the kernel classes takes or
 * returns a vector, a mask or a shuffle. C2 inlines such a helper only when it judges the call
 * worth it; where it declines (a cold call site after a kernel's long loop, a caller past its node
 * budget, a helper already compiled on its own), the vectors are boxed for as long as that
 * compilation stays installed. That happened with the tiles' {@code store2} at 128 bits, about once
 * in four builds, and {@link KernelAllocationTest} caught it only then. The exceptions, named
 * here: the vector exponential of the model's loops, only ever called inside their loops (hot call
 * sites, which C2 inlines up to 325 bytes), and the factories that build a class's constant masks,
 * shuffles and tables in its static initializer.
 */
class KernelHelperShapeTest {
  /** Helpers allowed to take or return vectors: class simple name and method name. */
  private static final Set<String> ALLOWED = Set.of(
      "VectorOps.exp",
      "VectorKernels.minsMask",
      "DirectKernels.twoScales",
      "VectorBlocksK.fourAt",
      "VectorBlocks32.table");

  static Stream<String> kernelClasses() {
    return Stream.of(
        "dev.banter.local.tensor.VectorKernels",
        "dev.banter.local.tensor.DirectKernels",
        "dev.banter.local.tensor.PanelMatmul",
        "dev.banter.local.tensor.VectorBlocks32",
        "dev.banter.local.tensor.VectorBlocksK",
        "dev.banter.local.model.VectorOps");
  }

  @ParameterizedTest
  @MethodSource("kernelClasses")
  void no_kernel_helper_takes_or_returns_a_vector(String className) throws ClassNotFoundException {
    Class<?> type = Class.forName(className, false, getClass().getClassLoader());
    List<String> offenders = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (m.isSynthetic() || ALLOWED.contains(type.getSimpleName() + "." + m.getName())) {
        continue;
      }
      boolean vectorish = isVectorish(m.getReturnType());
      for (Class<?> p : m.getParameterTypes()) {
        vectorish |= isVectorish(p);
      }
      if (vectorish) {
        offenders.add(m.toString());
      }
    }
    assertEquals(List.of(), offenders, className + " has helpers that pass vectors: C2 boxes them "
        + "wherever it declines to inline the call; reduce or store the vectors in the kernel and pass arrays or "
        + "scalars");
  }

  private static boolean isVectorish(Class<?> c) {
    return Vector.class.isAssignableFrom(c) || VectorMask.class.isAssignableFrom(c)
        || VectorShuffle.class.isAssignableFrom(c);
  }
}

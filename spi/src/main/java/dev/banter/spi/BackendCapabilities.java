package dev.banter.spi;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a backend can do and how large its context window is. Immutable and thread-safe.
 *
 * <pre>{@code
 * BackendCapabilities caps = BackendCapabilities.of(4096,
 *     Capability.STREAMING, Capability.EXACT_TOKEN_COUNT, Capability.SEED);
 * caps.has(Capability.TOOLS); // false
 * }</pre>
 */
public final class BackendCapabilities {
  private final Set<Capability> capabilities;
  private final int contextLength;

  private BackendCapabilities(Set<Capability> capabilities, int contextLength) {
    this.capabilities = Collections.unmodifiableSet(capabilities);
    this.contextLength = contextLength;
  }

  /**
   * @param contextLength the context window in tokens, or 0 when unknown
   */
  public static BackendCapabilities of(int contextLength, Capability... capabilities) {
    if (contextLength < 0) {
      throw new IllegalArgumentException("contextLength must be >= 0, got " + contextLength);
    }
    EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
    for (Capability c : capabilities) {
      set.add(Objects.requireNonNull(c, "capability"));
    }
    return new BackendCapabilities(set, contextLength);
  }

  public boolean has(Capability capability) {
    return capabilities.contains(capability);
  }

  /** All capabilities. */
  public Set<Capability> all() {
    return capabilities;
  }

  /** The context window in tokens, when the backend knows it. */
  public OptionalInt contextLength() {
    return contextLength > 0 ? OptionalInt.of(contextLength) : OptionalInt.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendCapabilities
        && ((BackendCapabilities) o).capabilities.equals(capabilities)
        && ((BackendCapabilities) o).contextLength == contextLength;
  }

  @Override
  public int hashCode() {
    return Objects.hash(capabilities, contextLength);
  }

  @Override
  public String toString() {
    return capabilities + (contextLength > 0 ? ", context " + contextLength : "");
  }
}

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
 * BackendCapabilities caps = BackendCapabilities.of(4096, // tokens of context
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

  /** A backend whose context window is {@code contextLength} tokens. */
  public static BackendCapabilities of(int contextLength, Capability... capabilities) {
    if (contextLength < 1) {
      throw new IllegalArgumentException("contextLength must be >= 1, got " + contextLength
          + "; use of(capabilities...) when the backend does not know its context window");
    }
    return new BackendCapabilities(set(capabilities), contextLength);
  }

  /** A backend whose context window is {@code contextLength} tokens, when it knows it. */
  public static BackendCapabilities of(OptionalInt contextLength, Capability... capabilities) {
    return contextLength.isPresent() ? of(contextLength.getAsInt(), capabilities) : of(capabilities);
  }

  /** A backend that does not know its context window. */
  public static BackendCapabilities of(Capability... capabilities) {
    return new BackendCapabilities(set(capabilities), 0);
  }

  private static EnumSet<Capability> set(Capability... capabilities) {
    EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
    for (Capability c : capabilities) {
      set.add(Objects.requireNonNull(c, "capability"));
    }
    return set;
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
    return o instanceof BackendCapabilities c && c.capabilities.equals(capabilities) && c.contextLength == contextLength;
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

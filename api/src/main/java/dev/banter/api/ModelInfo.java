package dev.banter.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model a backend can serve: its name as the backend knows it, who provides it, and its
 * context window when known. Immutable and thread-safe.
 *
 * <pre>{@code
 * for (ModelInfo m : model.models()) {
 *   System.out.println(m.id() + " (" + m.ownedBy() + ")");
 * }
 * }</pre>
 */
public final class ModelInfo {
  private final String id;
  private final String ownedBy;
  private final int contextLength;

  private ModelInfo(String id, String ownedBy, int contextLength) {
    this.id = Objects.requireNonNull(id, "id");
    this.ownedBy = Objects.requireNonNull(ownedBy, "ownedBy");
    this.contextLength = contextLength;
  }

  /** A model with no known context size; {@code ownedBy} may be empty when the backend names no owner. */
  public static ModelInfo of(String id, String ownedBy) {
    return new ModelInfo(id, ownedBy, -1);
  }

  /** A model whose context window holds {@code contextLength} tokens. */
  public static ModelInfo of(String id, String ownedBy, int contextLength) {
    if (contextLength < 1) {
      throw new IllegalArgumentException("contextLength must be >= 1, got " + contextLength);
    }
    return new ModelInfo(id, ownedBy, contextLength);
  }

  /** The name to put in {@link ChatRequest.Builder#model(String)}. */
  public String id() {
    return id;
  }

  /** The owner the backend reports (for example {@code xai}, {@code banter}), when it reports one. */
  public Optional<String> ownedBy() {
    return ownedBy.isEmpty() ? Optional.empty() : Optional.of(ownedBy);
  }

  /** The context window in tokens, when the backend reports it. */
  public OptionalInt contextLength() {
    return contextLength < 0 ? OptionalInt.empty() : OptionalInt.of(contextLength);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelInfo m && m.id.equals(id) && m.ownedBy.equals(ownedBy) && m.contextLength == contextLength;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, ownedBy, contextLength);
  }

  @Override
  public String toString() {
    return id + (contextLength > 0 ? " (context " + contextLength + ")" : "");
  }
}

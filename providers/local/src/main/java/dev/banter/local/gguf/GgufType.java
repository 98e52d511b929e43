package dev.banter.local.gguf;

/**
 * The type of a GGUF metadata value, with its id as stored in the file. Immutable.
 *
 * <pre>{@code
 * GgufValue v = file.metadata().get("llama.context_length").orElseThrow();
 * if (v.type() == GgufType.UINT32) { long n = v.asLong(); }
 * }</pre>
 */
public enum GgufType {
  UINT8(0, 1),
  INT8(1, 1),
  UINT16(2, 2),
  INT16(3, 2),
  UINT32(4, 4),
  INT32(5, 4),
  FLOAT32(6, 4),
  BOOL(7, 1),
  STRING(8, 8),
  ARRAY(9, 12),
  UINT64(10, 8),
  INT64(11, 8),
  FLOAT64(12, 8);

  private static final GgufType[] BY_ID = values();

  private final int id;
  private final int minSize;

  GgufType(int id, int minSize) {
    this.id = id;
    this.minSize = minSize;
  }

  /** The id stored in the file. */
  public int id() {
    return id;
  }

  /**
   * The fewest bytes one value of this type takes in a file (a string's length prefix, an array's
   * element type and count); used to bound counts by the bytes left in a file.
   */
  int minSize() {
    return minSize;
  }

  /** Whether values of this type are integers (signed or unsigned, any width). */
  public boolean isInteger() {
    return switch (this) {
      case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
      default -> false;
    };
  }

  /** The type with file id {@code id}, or {@code null} when the id is unknown. */
  static GgufType fromId(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }
}

package dev.banter.local.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The GGML tensor element types, with their GGUF type id and block geometry (weights per block,
 * bytes per block), as defined by ggml's {@code type_traits} table. The engine computes with the
 * types marked {@code supported}; the others are known so that files holding them can still be
 * read, inspected and refused with a precise message.
 */
public enum GgmlType {
  F32(0, 1, 4, true),
  F16(1, 1, 2, true),
  Q4_0(2, 32, 18, true),
  Q4_1(3, 32, 20, true),
  Q5_0(6, 32, 22, true),
  Q5_1(7, 32, 24, true),
  Q8_0(8, 32, 34, true),
  Q8_1(9, 32, 36, false),
  Q2_K(10, 256, 84, true),
  Q3_K(11, 256, 110, true),
  Q4_K(12, 256, 144, true),
  Q5_K(13, 256, 176, true),
  Q6_K(14, 256, 210, true),
  Q8_K(15, 256, 292, false),
  IQ2_XXS(16, 256, 66, false),
  IQ2_XS(17, 256, 74, false),
  IQ3_XXS(18, 256, 98, false),
  IQ1_S(19, 256, 50, false),
  IQ4_NL(20, 32, 18, true),
  IQ3_S(21, 256, 110, false),
  IQ2_S(22, 256, 82, false),
  IQ4_XS(23, 256, 136, true),
  I8(24, 1, 1, false),
  I16(25, 1, 2, false),
  I32(26, 1, 4, false),
  I64(27, 1, 8, false),
  F64(28, 1, 8, false),
  IQ1_M(29, 256, 56, false),
  BF16(30, 1, 2, true),
  TQ1_0(34, 256, 54, false),
  TQ2_0(35, 256, 66, false),
  MXFP4(39, 32, 17, true);

  private static final GgmlType[] BY_ID = new GgmlType[64];

  static {
    for (GgmlType t : values()) {
      BY_ID[t.id] = t;
    }
  }

  private final int id;
  private final int blockSize;
  private final int typeSize;
  private final boolean supported;

  GgmlType(int id, int blockSize, int typeSize, boolean supported) {
    this.id = id;
    this.blockSize = blockSize;
    this.typeSize = typeSize;
    this.supported = supported;
  }

  /** The type with GGUF id {@code id}, or {@code null} when the id is unknown. */
  public static GgmlType fromId(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }

  /** The types the engine can compute with, for error messages. */
  public static List<GgmlType> supportedTypes() {
    List<GgmlType> out = new ArrayList<>();
    for (GgmlType t : values()) {
      if (t.supported) {
        out.add(t);
      }
    }
    return out;
  }

  public int id() {
    return id;
  }

  /** Weights per block (1 for plain floats). */
  public int blockSize() {
    return blockSize;
  }

  /** Bytes per block. */
  public int typeSize() {
    return typeSize;
  }

  /** Whether the engine computes with this type. */
  public boolean supported() {
    return supported;
  }

  /**
   * Bytes taken by {@code elements} weights of this type.
   *
   * @throws IllegalArgumentException if {@code elements} is not a whole number of blocks
   */
  public long byteSize(long elements) {
    if (elements % blockSize != 0) {
      throw new IllegalArgumentException(name() + " stores blocks of " + blockSize + " weights; "
          + elements + " is not a multiple");
    }
    return elements / blockSize * typeSize;
  }
}

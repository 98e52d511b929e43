package dev.banter.local.gguf;

import dev.banter.api.ModelLoadException;
import dev.banter.local.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * One tensor of a GGUF file: its name, element type, shape and memory-mapped data. Thread-safe;
 * the data is mapped on first use and never copied into the heap.
 *
 * <p>Dimensions are in ggml order: {@code dim(0)} is the row length (the fastest-varying index),
 * so a {@code [n_embd, n_vocab]} embedding has {@code n_vocab} rows of {@code n_embd} weights.
 *
 * <pre>{@code
 * GgufTensor t = file.tensor("token_embd.weight");
 * long rowLength = t.dim(0), rows = t.elementCount() / rowLength;
 * ByteBuffer data = t.data();          // read-only, little-endian, position 0
 * }</pre>
 */
public final class GgufTensor {
  private final GgufFile owner;
  private final String name;
  private final GgmlType type;
  private final long[] dims;
  private final long elementCount;
  private final long byteSize;
  private final long fileOffset;
  private ByteBuffer mapped;

  GgufTensor(GgufFile owner, String name, GgmlType type, long[] dims, long elementCount, long byteSize,
      long fileOffset) {
    this.owner = owner;
    this.name = name;
    this.type = type;
    this.dims = dims;
    this.elementCount = elementCount;
    this.byteSize = byteSize;
    this.fileOffset = fileOffset;
  }

  public String name() {
    return name;
  }

  public GgmlType type() {
    return type;
  }

  /** The number of dimensions (1 to 4). */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i} in ggml order; 1 for {@code i >= rank()} as in ggml. */
  public long dim(int i) {
    if (i < 0) {
      throw new IndexOutOfBoundsException("dimension " + i);
    }
    return i < dims.length ? dims[i] : 1;
  }

  /** A copy of the dimensions in ggml order ({@code dims()[0]} is the row length). */
  public long[] dims() {
    return dims.clone();
  }

  public long elementCount() {
    return elementCount;
  }

  /** Bytes of tensor data in the file. */
  public long byteSize() {
    return byteSize;
  }

  /** The absolute offset of the data in the file. */
  public long fileOffset() {
    return fileOffset;
  }

  /**
   * The tensor's bytes as a read-only little-endian buffer from position 0 to {@link #byteSize()};
   * each call returns an independent view of one shared mapping.
   *
   * @throws ModelLoadException if the tensor is larger than 2 GiB (see {@link #data(long, int)}), or
   *     mapping fails
   * @throws IllegalStateException if the file was closed before the data was first mapped
   */
  public ByteBuffer data() {
    ByteBuffer m;
    synchronized (this) {
      if (mapped == null) {
        mapped = map();
      }
      m = mapped;
    }
    return m.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The bytes {@code [offset, offset + length)} of the tensor as a read-only little-endian buffer
   * of its own mapping: how a tensor above 2 GiB, which no single buffer can hold, is read in parts.
   *
   * @throws IllegalArgumentException if the range is outside the tensor
   * @throws ModelLoadException if mapping fails
   */
  public ByteBuffer data(long offset, int length) {
    if (offset < 0 || length < 0 || offset > byteSize - length) {
      throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + length) + ") are outside tensor '"
          + name + "' of " + byteSize + " bytes");
    }
    try {
      return owner.channel().map(FileChannel.MapMode.READ_ONLY, fileOffset + offset, length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new ModelLoadException(owner.fileName() + " @" + (fileOffset + offset) + ": cannot map part of tensor '"
          + name + "': " + e.getMessage(), owner.fileName(), fileOffset, e);
    }
  }

  private ByteBuffer map() {
    if (byteSize > Integer.MAX_VALUE) {
      throw new ModelLoadException(owner.fileName() + " @" + fileOffset + ": tensor '" + name + "' ("
          + type + ", " + shape() + ") holds " + byteSize + " bytes, more than one buffer maps; read it in "
          + "parts with data(offset, length)", owner.fileName(), fileOffset);
    }
    FileChannel ch = owner.channel();
    try {
      return ch.map(FileChannel.MapMode.READ_ONLY, fileOffset, byteSize);
    } catch (IOException e) {
      throw new ModelLoadException(owner.fileName() + " @" + fileOffset + ": cannot map tensor '" + name
          + "': " + e.getMessage(), owner.fileName(), fileOffset, e);
    }
  }

  /** The shape as {@code [d0, d1, ...]}. */
  public String shape() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return sb.append(']').toString();
  }

  @Override
  public String toString() {
    return name + " " + type + " " + shape();
  }
}

package dev.banter.local.model;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.WeightMatrix;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Looks up the weights a graph needs in a GGUF file and checks each one's shape against the
 * hyperparameters before wrapping it, so that every mismatch is a {@link ModelLoadException}
 * naming the file, the tensor, the shape found and the shape expected.
 */
final class Tensors {
  private final GgufFile file;
  private final String source;
  /** The most bytes one buffer of a matrix holds; larger tensors are mapped in parts of whole rows. */
  private final long maxPartBytes;

  Tensors(GgufFile file) {
    this(file, Integer.MAX_VALUE);
  }

  /** With parts of at most {@code maxPartBytes}: tests use small parts to exercise large-tensor paths. */
  Tensors(GgufFile file, long maxPartBytes) {
    this.file = file;
    this.source = file.path().toString();
    this.maxPartBytes = maxPartBytes;
  }

  String source() {
    return source;
  }

  boolean has(String name) {
    return file.findTensor(name).isPresent();
  }

  /** The number of rows of the matrix {@code name} (its second GGUF dimension). */
  int rows(String name) {
    GgufTensor t = file.tensor(name);
    if (t.rank() != 2 || t.dim(1) < 1 || t.dim(1) > Integer.MAX_VALUE) {
      throw new ModelLoadException(source + " @" + t.fileOffset() + ": tensor '" + name + "' has shape "
          + t.shape() + " but must be a matrix", source, t.fileOffset());
    }
    return (int) t.dim(1);
  }

  /** The matrix stored with GGUF dims {@code [cols, rows]}: {@code rows} rows of {@code cols} weights. */
  WeightMatrix matrix(String name, int cols, int rows) {
    GgufTensor t = file.tensor(name);
    expectShape(t, cols, rows);
    if (t.byteSize() <= maxPartBytes) {
      return wrap(t, name, t.type(), rows, cols, t.data());
    }
    long rowBytes = t.byteSize() / rows;
    int partRows = (int) Math.min(rows, maxPartBytes / rowBytes);
    int count = (rows + partRows - 1) / partRows;
    ByteBuffer[] parts = new ByteBuffer[count];
    for (int p = 0; p < count; p++) {
      int n = Math.min(partRows, rows - p * partRows);
      parts[p] = t.data(p * (long) partRows * rowBytes, (int) (n * rowBytes));
    }
    try {
      return WeightMatrix.ofParts(name, t.type(), rows, cols, partRows, parts);
    } catch (ModelLoadException e) {
      throw new ModelLoadException(source + " @" + t.fileOffset() + ": " + e.getMessage(), source,
          t.fileOffset(), e);
    }
  }

  /** The matrix {@code name}, or {@code null} when the file does not have it. */
  WeightMatrix optionalMatrix(String name, int cols, int rows) {
    return has(name) ? matrix(name, cols, rows) : null;
  }

  /** A vector of {@code n} weights (norms, biases) expanded to floats. */
  float[] vector(String name, int n) {
    GgufTensor t = file.tensor(name);
    expectShape(t, n);
    float[] v = new float[n];
    wrap(t, name, t.type(), 1, n, t.data()).dequantizeRow(0, v, 0);
    for (int i = 0; i < n; i++) {
      if (Float.isNaN(v[i]) || Float.isInfinite(v[i])) {
        throw new ModelLoadException(source + " @" + t.fileOffset() + ": tensor '" + name + "' holds "
            + v[i] + " at index " + i + "; the file is corrupt", source, t.fileOffset());
      }
    }
    return v;
  }

  /**
   * The matrix {@code name} of {@code count} rows of {@code width} expanded to floats (per-expert
   * biases), or {@code null} when the file does not have it.
   */
  float[][] optionalRows(String name, int width, int count) {
    if (!has(name)) {
      return null;
    }
    WeightMatrix m = matrix(name, width, count);
    float[][] out = new float[count][width];
    for (int r = 0; r < count; r++) {
      m.dequantizeRow(r, out[r], 0);
    }
    return out;
  }

  /** The vector {@code name}, or {@code null} when the file does not have it. */
  float[] optionalVector(String name, int n) {
    return has(name) ? vector(name, n) : null;
  }

  /**
   * The experts of a stacked tensor with GGUF dims {@code [cols, rows, count]}: one matrix per
   * expert, each over its own slice of the data.
   */
  WeightMatrix[] experts(String name, int cols, int rows, int count) {
    GgufTensor t = file.tensor(name);
    expectShape(t, cols, rows, count);
    GgmlType type = t.type();
    long expertBytes = t.byteSize() / count;
    WeightMatrix[] out = new WeightMatrix[count];
    for (int e = 0; e < count; e++) {
      ByteBuffer data;
      if (t.byteSize() <= maxPartBytes) {
        data = t.data();
        ((Buffer) data).position((int) (e * expertBytes));
      } else if (expertBytes <= maxPartBytes) {
        data = t.data(e * expertBytes, (int) expertBytes);
      } else {
        throw new ModelLoadException(source + " @" + t.fileOffset() + ": tensor '" + name + "' holds experts of "
            + expertBytes + " bytes each; an expert above 2 GiB is not supported", source, t.fileOffset());
      }
      out[e] = wrap(t, name + "[" + e + "]", type, rows, cols, data);
    }
    return out;
  }

  private WeightMatrix wrap(GgufTensor t, String name, GgmlType type, int rows, int cols, ByteBuffer data) {
    try {
      return WeightMatrix.of(name, type, rows, cols, data);
    } catch (ModelLoadException e) {
      throw new ModelLoadException(source + " @" + t.fileOffset() + ": " + e.getMessage(), source,
          t.fileOffset(), e);
    }
  }

  private void expectShape(GgufTensor t, long... dims) {
    long[] have = t.dims();
    long[] trimmed = have;
    int rank = have.length;
    while (rank > dims.length && have[rank - 1] == 1) {
      rank--;
    }
    if (rank != have.length) {
      trimmed = Arrays.copyOf(have, rank);
    }
    if (!Arrays.equals(trimmed, dims)) {
      throw new ModelLoadException(source + " @" + t.fileOffset() + ": tensor '" + t.name() + "' has shape "
          + t.shape() + " but the model's hyperparameters need " + Arrays.toString(dims)
          + "; the file's metadata and weights disagree", source, t.fileOffset());
    }
  }
}

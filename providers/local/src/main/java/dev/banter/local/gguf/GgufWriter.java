package dev.banter.local.gguf;

import dev.banter.local.tensor.GgmlType;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes GGUF version 3 files: metadata of every type and tensors given as already-encoded bytes
 * (any {@link GgmlType}), padded to {@code general.alignment} (default 32). Not thread-safe; use
 * one writer per file. Tensor data is pulled from each {@link TensorData} source only while the
 * file is written, one tensor at a time, so a multi-gigabyte model never has to sit in memory.
 *
 * <pre>{@code
 * GgufWriter w = GgufWriter.create()
 *     .put("general.architecture", GgufValue.ofString("llama"))
 *     .put("llama.block_count", GgufValue.ofUint32(2))
 *     .addTensorF32("output_norm.weight", new long[] {128}, norm)
 *     .addTensor("token_embd.weight", GgmlType.Q8_0, new long[] {128, 640}, out -> out.write(q8));
 * w.write(Path.of("tiny.gguf"));
 * }</pre>
 */
public final class GgufWriter {
  /** Produces a tensor's encoded bytes on demand. */
  @FunctionalInterface
  public interface TensorData {
    /** Writes exactly the tensor's byte size to {@code out}. */
    void writeTo(OutputStream out) throws IOException;
  }

  private static final class Entry {
    final String name;
    final GgmlType type;
    final long[] dims;
    final long byteSize;
    final TensorData data;

    Entry(String name, GgmlType type, long[] dims, long byteSize, TensorData data) {
      this.name = name;
      this.type = type;
      this.dims = dims;
      this.byteSize = byteSize;
      this.data = data;
    }
  }

  private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
  private final List<Entry> tensors = new ArrayList<>();
  private final Set<String> tensorNames = new HashSet<>();

  private GgufWriter() {}

  public static GgufWriter create() {
    return new GgufWriter();
  }

  /** Adds (or replaces) one metadata entry; entries are written in the order first put. */
  public GgufWriter put(String key, GgufValue value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.equals("general.alignment")) {
      if (value.type() != GgufType.UINT32) {
        throw new IllegalArgumentException("general.alignment must be a UINT32, got " + value.type());
      }
      long a = value.asLong();
      if (a <= 0 || a > (1 << 30) || (a & (a - 1)) != 0) {
        throw new IllegalArgumentException("general.alignment must be a power of two, got " + a);
      }
    }
    metadata.put(key, value);
    return this;
  }

  public GgufWriter putString(String key, String value) {
    return put(key, GgufValue.ofString(value));
  }

  public GgufWriter putUint32(String key, long value) {
    return put(key, GgufValue.ofUint32(value));
  }

  public GgufWriter putInt32(String key, int value) {
    return put(key, GgufValue.ofInt32(value));
  }

  public GgufWriter putFloat32(String key, float value) {
    return put(key, GgufValue.ofFloat32(value));
  }

  public GgufWriter putBool(String key, boolean value) {
    return put(key, GgufValue.ofBool(value));
  }

  /** Adds every entry of {@code md} (for example to copy a vocabulary). */
  public GgufWriter putAll(GgufMetadata md) {
    for (Map.Entry<String, GgufValue> e : md.asMap().entrySet()) {
      put(e.getKey(), e.getValue());
    }
    return this;
  }

  /**
   * Declares a tensor whose encoded bytes {@code source} writes when the file is written.
   *
   * @param dims the shape in ggml order ({@code dims[0]} is the row length), 1 to 4 dimensions
   * @throws IllegalArgumentException for a duplicate name, a bad shape, or a row length that is not
   *     a multiple of the type's block size
   */
  public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorData source) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    if (!tensorNames.add(name)) {
      throw new IllegalArgumentException("tensor '" + name + "' was already added");
    }
    if (dims.length < 1 || dims.length > GgufFile.MAX_DIMS) {
      throw new IllegalArgumentException("tensor '" + name + "' needs 1 to 4 dimensions, got " + dims.length);
    }
    long elements = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension " + d);
      }
      elements = Math.multiplyExact(elements, d);
    }
    if (dims[0] % type.blockSize() != 0) {
      throw new IllegalArgumentException("tensor '" + name + "' of type " + type + " has rows of " + dims[0]
          + " elements, not a multiple of the block size " + type.blockSize());
    }
    tensors.add(new Entry(name, type, dims.clone(), type.byteSize(elements), source));
    return this;
  }

  /** Declares a tensor from its encoded bytes (which are not copied: do not change them before writing). */
  public GgufWriter addTensor(String name, GgmlType type, long[] dims, byte[] data) {
    Objects.requireNonNull(data, "data");
    addTensor(name, type, dims, out -> out.write(data));
    long expected = tensors.get(tensors.size() - 1).byteSize;
    if (data.length != expected) {
      tensors.remove(tensors.size() - 1);
      tensorNames.remove(name);
      throw new IllegalArgumentException("tensor '" + name + "' of type " + type + " needs " + expected
          + " bytes, got " + data.length);
    }
    return this;
  }

  /** Declares an F32 tensor from floats (not copied: do not change them before writing). */
  public GgufWriter addTensorF32(String name, long[] dims, float[] values) {
    Objects.requireNonNull(values, "values");
    return addTensor(name, GgmlType.F32, dims, out -> {
      ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < values.length; i += 2048) {
        ((Buffer) b).clear();
        int n = Math.min(2048, values.length - i);
        for (int j = 0; j < n; j++) {
          b.putFloat(values[i + j]);
        }
        out.write(b.array(), 0, n * 4);
      }
    });
  }

  /**
   * Writes the file, replacing any existing one, pulling each tensor's bytes from its source.
   *
   * @throws UncheckedIOException if writing fails or a source writes the wrong number of bytes
   */
  public void write(Path path) {
    Objects.requireNonNull(path, "path");
    GgufValue a = metadata.get("general.alignment");
    int alignment = a == null ? GgufMetadata.DEFAULT_ALIGNMENT : (int) a.asLong();
    try (Counting out = new Counting(new BufferedOutputStream(Files.newOutputStream(path), 1 << 20))) {
      Le le = new Le(out);
      le.i32(0x46554747);
      le.i32(3);
      le.i64(tensors.size());
      le.i64(metadata.size());
      for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
        le.string(e.getKey().getBytes(StandardCharsets.UTF_8));
        le.i32(e.getValue().type().id());
        writeValue(le, e.getValue());
      }
      long offset = 0;
      for (Entry t : tensors) {
        le.string(t.name.getBytes(StandardCharsets.UTF_8));
        le.i32(t.dims.length);
        for (long d : t.dims) {
          le.i64(d);
        }
        le.i32(t.type.id());
        le.i64(offset);
        offset += pad(t.byteSize, alignment);
      }
      padTo(out, alignment);
      for (Entry t : tensors) {
        long before = out.count;
        t.data.writeTo(out);
        long written = out.count - before;
        if (written != t.byteSize) {
          throw new IOException("tensor '" + t.name + "' (" + t.type + ") wrote " + written
              + " bytes, expected " + t.byteSize);
        }
        padTo(out, alignment);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write GGUF file " + path + ": " + e.getMessage(), e);
    }
  }

  private static long pad(long n, int alignment) {
    return (n + alignment - 1) / alignment * alignment;
  }

  private static void padTo(Counting out, int alignment) throws IOException {
    long target = pad(out.count, alignment);
    while (out.count < target) {
      out.write(0);
    }
  }

  private static void writeValue(Le le, GgufValue v) throws IOException {
    switch (v.type()) {
      case UINT8, INT8, BOOL -> le.out.write((int) v.bits());
      case UINT16, INT16 -> le.i16((int) v.bits());
      case UINT32, INT32, FLOAT32 -> le.i32((int) v.bits());
      case UINT64, INT64, FLOAT64 -> le.i64(v.bits());
      case STRING -> le.string((byte[]) v.payload());
      default -> writeArray(le, v);
    }
  }

  private static void writeArray(Le le, GgufValue v) throws IOException {
    GgufType elem = v.elementType();
    Object p = v.payload();
    int n = v.size();
    le.i32(elem.id());
    le.i64(n);
    switch (elem) {
      case UINT8, INT8, BOOL -> le.out.write((byte[]) p, 0, n);
      case UINT16, INT16 -> {
        for (short s : (short[]) p) {
          le.i16(s);
        }
      }
      case UINT32, INT32 -> {
        for (int i : (int[]) p) {
          le.i32(i);
        }
      }
      case UINT64, INT64 -> {
        for (long l : (long[]) p) {
          le.i64(l);
        }
      }
      case FLOAT32 -> {
        for (float f : (float[]) p) {
          le.i32(Float.floatToRawIntBits(f));
        }
      }
      case FLOAT64 -> {
        for (double d : (double[]) p) {
          le.i64(Double.doubleToRawLongBits(d));
        }
      }
      case STRING -> {
        for (byte[] s : (byte[][]) p) {
          le.string(s);
        }
      }
      default -> {
        for (GgufValue e : (GgufValue[]) p) {
          writeArray(le, e);
        }
      }
    }
  }

  /** Counts bytes so padding and tensor sizes can be checked. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Little-endian primitives. */
  private static final class Le {
    final OutputStream out;
    private final byte[] buf = new byte[8];

    Le(OutputStream out) {
      this.out = out;
    }

    void i16(int v) throws IOException {
      buf[0] = (byte) v;
      buf[1] = (byte) (v >>> 8);
      out.write(buf, 0, 2);
    }

    void i32(int v) throws IOException {
      for (int i = 0; i < 4; i++) {
        buf[i] = (byte) (v >>> (8 * i));
      }
      out.write(buf, 0, 4);
    }

    void i64(long v) throws IOException {
      for (int i = 0; i < 8; i++) {
        buf[i] = (byte) (v >>> (8 * i));
      }
      out.write(buf, 0, 8);
    }

    void string(byte[] s) throws IOException {
      i64(s.length);
      out.write(s, 0, s.length);
    }
  }
}

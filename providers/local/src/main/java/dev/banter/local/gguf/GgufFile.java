package dev.banter.local.gguf;

import dev.banter.api.ModelLoadException;
import dev.banter.local.tensor.GgmlType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An open GGUF file (versions 2 and 3): its metadata and its tensors, whose data is memory-mapped
 * on demand. Thread-safe. Opening reads and validates the header only (metadata and tensor
 * infos), so it costs the same for a 100 MB and a 100 GB file; tensor bytes are mapped per
 * tensor when {@link GgufTensor#data()} is first called.
 *
 * <p>A truncated, corrupt or hostile file fails with a {@link ModelLoadException} naming the
 * file, the byte offset and the problem; every count and length is checked against the bytes left
 * in the file before anything is allocated.
 *
 * <pre>{@code
 * try (GgufFile f = GgufFile.open(Path.of("model.gguf"))) {
 *   String arch = f.metadata().architecture().orElse("?");
 *   GgufTensor emb = f.tensor("token_embd.weight");
 *   ByteBuffer bytes = emb.data();
 * }
 * }</pre>
 *
 * <p>Closing releases the file handle; buffers already returned by {@link GgufTensor#data()}
 * stay readable until they are garbage collected (Java cannot unmap them earlier).
 */
public final class GgufFile implements AutoCloseable {
  /** Arrays nested deeper than this are refused (ggml itself refuses any nesting). */
  static final int MAX_ARRAY_DEPTH = 8;
  static final int MAX_DIMS = 4;
  private static final int MAGIC = 0x46554747; // "GGUF" read little-endian

  private final Path path;
  private final String fileName;
  private final FileChannel channel;
  private final long fileSize;
  private final int version;
  private final int alignment;
  private final long dataOffset;
  private final GgufMetadata metadata;
  private final List<GgufTensor> tensors;
  private final Map<String, GgufTensor> byName;
  private volatile boolean closed;

  private GgufFile(Path path, FileChannel channel) {
    this.path = path;
    this.fileName = path.toString();
    this.channel = channel;
    try {
      this.fileSize = channel.size();
    } catch (IOException e) {
      throw new ModelLoadException(fileName + ": cannot read the file size: " + e.getMessage(), fileName, -1, e);
    }
    GgufReader in = new GgufReader(channel, fileSize, fileName);

    if (fileSize < 24) {
      throw in.fail(0, "the file has " + fileSize + " bytes, too short for a GGUF header (24 bytes); "
          + "it is not a GGUF model or it is truncated");
    }
    int magic = in.i32();
    if (magic != MAGIC) {
      throw in.fail(0, "not a GGUF file: the first bytes are " + describeMagic(magic)
          + ", expected 'GGUF'; pass a .gguf model file");
    }
    long v = in.u32();
    if (v == 1) {
      throw in.fail(4, "GGUF version 1 is not supported; convert the model again with a current llama.cpp");
    }
    if (v != 2 && v != 3) {
      if ((v & 0xFFFF) == 0 && Integer.reverseBytes((int) v) <= 3) {
        throw in.fail(4, "this is a big-endian GGUF file (version bytes " + Long.toHexString(v)
            + "); only little-endian files are supported");
      }
      throw in.fail(4, "unsupported GGUF version " + v + "; versions 2 and 3 are supported");
    }
    this.version = (int) v;
    long tensorCount = in.i64();
    long kvCount = in.i64();
    // Smallest encodings: a key/value is a key string (8) + type (4) + one byte; a tensor info is a
    // name (8) + n_dims (4) + type (4) + offset (8).
    if (kvCount < 0 || kvCount > in.remaining() / 13) {
      throw in.fail(16, "the header claims " + Long.toUnsignedString(kvCount)
          + " metadata entries, more than the " + in.remaining() + " bytes left can hold; the file is corrupt");
    }
    if (tensorCount < 0 || tensorCount > (in.remaining() - kvCount * 13) / 24) {
      throw in.fail(8, "the header claims " + Long.toUnsignedString(tensorCount)
          + " tensors, more than the " + in.remaining() + " bytes left can hold; the file is corrupt");
    }

    Map<String, GgufValue> values = new LinkedHashMap<>();
    Map<String, Long> offsets = new HashMap<>();
    for (long i = 0; i < kvCount; i++) {
      long keyAt = in.position();
      String key = new String(in.string("metadata key #" + i), StandardCharsets.UTF_8);
      if (values.containsKey(key)) {
        throw in.fail(keyAt, "duplicate metadata key '" + key + "'; the file is corrupt");
      }
      long typeAt = in.position();
      GgufType type = readType(in, "metadata key '" + key + "'");
      offsets.put(key, typeAt);
      values.put(key, readValue(in, type, key, 0));
    }
    this.metadata = new GgufMetadata(fileName, values, offsets);
    this.alignment = metadata.alignment();

    // Containers grow with what was actually read, so a hostile count costs nothing up front.
    List<GgufTensor> list = new ArrayList<>();
    Map<String, GgufTensor> names = new HashMap<>();
    long[] relative = new long[(int) Math.min(tensorCount, 1024)];
    long[] infoAt = new long[relative.length];
    for (int i = 0; i < tensorCount; i++) {
      if (i == relative.length) {
        relative = Arrays.copyOf(relative, (int) Math.min(tensorCount, 2L * i));
        infoAt = Arrays.copyOf(infoAt, relative.length);
      }
      infoAt[i] = in.position();
      String name = new String(in.string("tensor name #" + i), StandardCharsets.UTF_8);
      if (names.containsKey(name)) {
        throw in.fail(infoAt[i], "duplicate tensor name '" + name + "'; the file is corrupt");
      }
      long rankAt = in.position();
      long rank = in.u32();
      if (rank < 1 || rank > MAX_DIMS) {
        throw in.fail(rankAt, "tensor '" + name + "' has " + rank + " dimensions; 1 to " + MAX_DIMS + " are allowed");
      }
      long[] dims = new long[(int) rank];
      long elements = 1;
      for (int d = 0; d < rank; d++) {
        long dimAt = in.position();
        dims[d] = in.i64();
        if (dims[d] < 0) {
          throw in.fail(dimAt, "tensor '" + name + "' dimension " + d + " is "
              + Long.toUnsignedString(dims[d]) + ", too large");
        }
        try {
          elements = Math.multiplyExact(elements, dims[d]);
        } catch (ArithmeticException e) {
          throw in.fail(dimAt, "tensor '" + name + "' has shape " + Arrays.toString(dims)
              + " whose element count overflows 64 bits");
        }
      }
      long typeAt = in.position();
      int typeId = in.i32();
      GgmlType type = GgmlType.fromId(typeId);
      if (type == null) {
        throw in.fail(typeAt, "tensor '" + name + "' has unknown ggml type id " + typeId);
      }
      if (dims[0] % type.blockSize() != 0) {
        throw in.fail(typeAt, "tensor '" + name + "' of type " + type + " has rows of " + dims[0]
            + " elements, not a multiple of the block size " + type.blockSize());
      }
      long byteSize;
      try {
        byteSize = Math.multiplyExact(elements / type.blockSize(), (long) type.typeSize());
      } catch (ArithmeticException e) {
        throw in.fail(typeAt, "tensor '" + name + "' byte size overflows 64 bits");
      }
      long offsetAt = in.position();
      relative[i] = in.i64();
      if (relative[i] < 0 || relative[i] % alignment != 0) {
        throw in.fail(offsetAt, "tensor '" + name + "' has data offset " + Long.toUnsignedString(relative[i])
            + ", not a multiple of the alignment " + alignment);
      }
      GgufTensor t = new GgufTensor(this, name, type, dims, elements, byteSize, -1);
      names.put(name, t);
      list.add(t);
    }
    long headerEnd = in.position();
    this.dataOffset = (headerEnd + alignment - 1) / alignment * alignment;

    List<GgufTensor> placed = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      GgufTensor t = list.get(i);
      long start = dataOffset + relative[i];
      if (start < dataOffset || start > fileSize || t.byteSize() > fileSize - start) {
        throw in.fail(infoAt[i], "tensor '" + t.name() + "' (" + t.type() + ", " + t.shape() + ", "
            + t.byteSize() + " bytes at data offset " + relative[i] + ") lies outside the file of "
            + fileSize + " bytes; the file is truncated, download or convert it again");
      }
      placed.add(new GgufTensor(this, t.name(), t.type(), t.dims(), t.elementCount(), t.byteSize(), start));
    }
    List<GgufTensor> sorted = new ArrayList<>(placed);
    sorted.sort(Comparator.comparingLong(GgufTensor::fileOffset));
    for (int i = 1; i < sorted.size(); i++) {
      GgufTensor a = sorted.get(i - 1);
      GgufTensor b = sorted.get(i);
      if (a.fileOffset() + a.byteSize() > b.fileOffset()) {
        throw in.fail(b.fileOffset(), "tensors '" + a.name() + "' and '" + b.name() + "' overlap (["
            + a.fileOffset() + ", " + (a.fileOffset() + a.byteSize()) + ") and [" + b.fileOffset() + ", "
            + (b.fileOffset() + b.byteSize()) + ")); the file is corrupt");
      }
    }
    Map<String, GgufTensor> index = new HashMap<>();
    for (GgufTensor t : placed) {
      index.put(t.name(), t);
    }
    this.tensors = Collections.unmodifiableList(placed);
    this.byName = index;
  }

  /**
   * Opens and validates a GGUF file.
   *
   * @throws ModelLoadException if the file cannot be read or is not a valid GGUF v2/v3 file; the
   *     message names the file, the offset and the problem
   */
  public static GgufFile open(Path path) {
    Objects.requireNonNull(path, "path");
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot open model file " + path + ": " + e + "; check the path and "
          + "permissions", path.toString(), -1, e);
    }
    try {
      return new GgufFile(path, ch);
    } catch (RuntimeException | Error e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // the original failure matters more
    }
  }

  private static GgufType readType(GgufReader in, String what) {
    long at = in.position();
    int id = in.i32();
    GgufType t = GgufType.fromId(id);
    if (t == null) {
      throw in.fail(at, what + " has unknown value type id " + Integer.toUnsignedString(id)
          + " (valid ids are 0 to 12)");
    }
    return t;
  }

  private static GgufValue readValue(GgufReader in, GgufType type, String key, int depth) {
    return switch (type) {
      case UINT8 -> GgufValue.integer(type, in.u8());
      case INT8 -> GgufValue.integer(type, (byte) in.u8());
      case BOOL -> GgufValue.integer(type, in.u8() != 0 ? 1 : 0);
      case UINT16 -> GgufValue.integer(type, in.i16() & 0xFFFF);
      case INT16 -> GgufValue.integer(type, in.i16());
      case UINT32 -> GgufValue.integer(type, in.u32());
      case INT32 -> GgufValue.integer(type, in.i32());
      case UINT64, INT64 -> GgufValue.integer(type, in.i64());
      case FLOAT32 -> GgufValue.float32Bits(in.i32());
      case FLOAT64 -> GgufValue.float64Bits(in.i64());
      case STRING -> GgufValue.stringOwning(in.string("the string value of '" + key + "'"));
      default -> readArray(in, key, depth + 1);
    };
  }

  private static GgufValue readArray(GgufReader in, String key, int depth) {
    long at = in.position();
    if (depth > MAX_ARRAY_DEPTH) {
      throw in.fail(at, "metadata key '" + key + "' nests arrays deeper than " + MAX_ARRAY_DEPTH + " levels");
    }
    GgufType elem = readType(in, "the array elements of '" + key + "'");
    long countAt = in.position();
    long count = in.i64();
    if (count < 0 || count > Integer.MAX_VALUE - 8 || count > in.remaining() / elem.minSize()) {
      throw in.fail(countAt, "metadata key '" + key + "' claims " + Long.toUnsignedString(count) + " "
          + elem + " elements, more than the " + in.remaining() + " bytes left can hold; the file is corrupt");
    }
    int n = (int) count;
    return switch (elem) {
      case UINT8, INT8, BOOL -> {
        byte[] a = in.bytes(n);
        if (elem == GgufType.BOOL) {
          for (int i = 0; i < n; i++) {
            a[i] = (byte) (a[i] != 0 ? 1 : 0);
          }
        }
        yield GgufValue.array(elem, a, n);
      }
      case UINT16, INT16 -> {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) a[i] = in.i16();
        yield GgufValue.array(elem, a, n);
      }
      case UINT32, INT32 -> {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = in.i32();
        yield GgufValue.array(elem, a, n);
      }
      case UINT64, INT64 -> {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = in.i64();
        yield GgufValue.array(elem, a, n);
      }
      case FLOAT32 -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = Float.intBitsToFloat(in.i32());
        yield GgufValue.array(elem, a, n);
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = Double.longBitsToDouble(in.i64());
        yield GgufValue.array(elem, a, n);
      }
      case STRING -> {
        byte[][] a = new byte[Math.min(n, 1024)][];
        for (int i = 0; i < n; i++) {
          if (i == a.length) {
            a = Arrays.copyOf(a, (int) Math.min(n, 2L * i));
          }
          a[i] = in.string("element " + i + " of '" + key + "'");
        }
        yield GgufValue.array(elem, a, n);
      }
      default -> {
        GgufValue[] a = new GgufValue[Math.min(n, 1024)];
        for (int i = 0; i < n; i++) {
          if (i == a.length) {
            a = Arrays.copyOf(a, (int) Math.min(n, 2L * i));
          }
          a[i] = readArray(in, key, depth + 1);
        }
        yield GgufValue.array(elem, a, n);
      }
    };
  }

  private static String describeMagic(int magic) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      int c = (magic >>> (8 * i)) & 0xFF;
      sb.append(String.format("%02x", c)).append(i < 3 ? " " : "");
    }
    return sb.toString();
  }

  public Path path() {
    return path;
  }

  String fileName() {
    return fileName;
  }

  FileChannel channel() {
    if (closed) {
      throw new IllegalStateException(fileName + " was closed; open it again to read tensor data");
    }
    return channel;
  }

  /** The GGUF version, 2 or 3. */
  public int version() {
    return version;
  }

  /** The data alignment in bytes ({@code general.alignment}, default 32). */
  public int alignment() {
    return alignment;
  }

  /** The absolute offset where the tensor data section begins. */
  public long dataOffset() {
    return dataOffset;
  }

  public long fileSize() {
    return fileSize;
  }

  public GgufMetadata metadata() {
    return metadata;
  }

  /** The tensors in file order. */
  public List<GgufTensor> tensors() {
    return tensors;
  }

  public Optional<GgufTensor> findTensor(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The tensor called {@code name}.
   *
   * @throws ModelLoadException if the file has no such tensor
   */
  public GgufTensor tensor(String name) {
    GgufTensor t = byName.get(name);
    if (t == null) {
      throw new ModelLoadException(fileName + ": tensor '" + name + "' is missing (the file has "
          + tensors.size() + " tensors); the file does not match its architecture "
          + metadata.architecture().orElse("?") + " or was converted incompletely", fileName, -1);
    }
    return t;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(channel);
  }

  @Override
  public String toString() {
    return "GgufFile[" + fileName + ", v" + version + ", " + metadata.keys().size() + " keys, "
        + tensors.size() + " tensors]";
  }
}

package dev.banter.local.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A throwaway GGUF v3 tensor locator for the kernel tests (the real reader lives in the gguf
 * package): it reads a fixture from the test class path and finds each tensor's type, dims and
 * data. Metadata values are skipped, except {@code general.alignment}.
 */
final class FixtureTensors {
  static final class Tensor {
    final String name;
    final GgmlType type;
    final long[] dims;
    final ByteBuffer data;

    Tensor(String name, GgmlType type, long[] dims, ByteBuffer data) {
      this.name = name;
      this.type = type;
      this.dims = dims;
      this.data = data;
    }

    int cols() {
      return (int) dims[0];
    }

    int rows() {
      long r = 1;
      for (int i = 1; i < dims.length; i++) {
        r *= dims[i];
      }
      return (int) r;
    }

    WeightMatrix matrix() {
      return WeightMatrix.of(name, type, rows(), cols(), data);
    }
  }

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  private FixtureTensors(ByteBuffer file) {
    ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt() != 0x46554747) {
      throw new IllegalArgumentException("not a GGUF file");
    }
    int version = b.getInt();
    if (version != 3) {
      throw new IllegalArgumentException("GGUF version " + version);
    }
    long tensorCount = b.getLong();
    long kvCount = b.getLong();
    long alignment = 32;
    for (long i = 0; i < kvCount; i++) {
      String key = string(b);
      int type = b.getInt();
      if (key.equals("general.alignment")) {
        alignment = b.getInt() & 0xFFFFFFFFL;
      } else {
        skip(b, type);
      }
    }
    String[] names = new String[(int) tensorCount];
    GgmlType[] types = new GgmlType[names.length];
    long[][] dims = new long[names.length][];
    long[] offsets = new long[names.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = string(b);
      int nd = b.getInt();
      dims[i] = new long[nd];
      for (int d = 0; d < nd; d++) {
        dims[i][d] = b.getLong();
      }
      types[i] = GgmlType.fromId(b.getInt());
      offsets[i] = b.getLong();
    }
    long dataStart = (b.position() + alignment - 1) / alignment * alignment;
    for (int i = 0; i < names.length; i++) {
      long n = 1;
      for (long d : dims[i]) {
        n *= d;
      }
      int size = (int) types[i].byteSize(n);
      ByteBuffer data = file.duplicate();
      data.position((int) (dataStart + offsets[i]));
      data.limit((int) (dataStart + offsets[i]) + size);
      tensors.put(names[i], new Tensor(names[i], types[i], dims[i], data.slice().asReadOnlyBuffer()));
    }
  }

  static FixtureTensors load(String resource) {
    try (InputStream in = FixtureTensors.class.getResourceAsStream("/gguf/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      byte[] bytes = in.readAllBytes();
      ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
      direct.put(bytes).flip();
      return new FixtureTensors(direct);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor " + name + " in " + tensors.keySet());
    }
    return t;
  }

  Map<String, Tensor> all() {
    return tensors;
  }

  private static String string(ByteBuffer b) {
    int len = (int) b.getLong();
    byte[] s = new byte[len];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static void skip(ByteBuffer b, int type) {
    switch (type) {
      case 0:
      case 1:
      case 7:
        b.position(b.position() + 1);
        break;
      case 2:
      case 3:
        b.position(b.position() + 2);
        break;
      case 4:
      case 5:
      case 6:
        b.position(b.position() + 4);
        break;
      case 10:
      case 11:
      case 12:
        b.position(b.position() + 8);
        break;
      case 8:
        string(b);
        break;
      case 9: {
        int elementType = b.getInt();
        long n = b.getLong();
        for (long i = 0; i < n; i++) {
          skip(b, elementType);
        }
        break;
      }
      default:
        throw new IllegalArgumentException("metadata type " + type);
    }
  }
}

package dev.banter.local;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.gguf.GgufWriter;
import dev.banter.local.tensor.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/** Writes a copy of a GGUF model with some metadata replaced (or removed) and tensors retyped. */
final class GgufCopy {
  private GgufCopy() {}

  /**
   * @param metadata keys to set; a {@code null} value removes the key
   */
  static Path copy(Path source, Path target, Map<String, GgufValue> metadata) {
    return copy(source, target, metadata, null, null);
  }

  /** As {@link #copy(Path, Path, Map)}, declaring tensor {@code retype} as {@code type} (bytes unchanged). */
  static Path copy(Path source, Path target, Map<String, GgufValue> metadata, String retype, GgmlType type) {
    try (GgufFile in = GgufFile.open(source)) {
      GgufWriter w = GgufWriter.create();
      for (Map.Entry<String, GgufValue> e : in.metadata().asMap().entrySet()) {
        if (!metadata.containsKey(e.getKey())) {
          w.put(e.getKey(), e.getValue());
        }
      }
      for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
        if (e.getValue() != null) {
          w.put(e.getKey(), e.getValue());
        }
      }
      for (GgufTensor t : in.tensors()) {
        ByteBuffer data = t.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        GgmlType declared = t.name().equals(retype) ? type : t.type();
        long[] dims = t.dims();
        if (declared != t.type()) {
          bytes = new byte[(int) (declared.byteSize(dims[0]) * dims[1])];
        }
        w.addTensor(t.name(), declared, dims, bytes);
      }
      w.write(target);
    }
    return target;
  }
}

package dev.banter.local.model;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether this engine can run a GGUF file, and if not, exactly why: an unsupported architecture,
 * a tensor type without kernels, a missing hyperparameter, tokenizer or tensor. It asks the same
 * questions {@link Model#load} asks, from the same sources ({@code Architecture}, {@link
 * GgmlType#supported()}, {@code Hyperparameters}, the architecture's own graph binding), so the
 * answer follows the engine as architectures and types are added. Binding the graph wraps the
 * memory-mapped weights in place and expands only the norm vectors; no matrix is read.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * try (GgufFile f = GgufFile.open(path)) {
 *   ModelSupport.problems(f).forEach(System.out::println);   // empty when the engine runs it
 * }
 * }</pre>
 */
public final class ModelSupport {
  private ModelSupport() {}

  /** The architecture names this engine runs, e.g. {@code [llama, qwen2, grok]}. */
  public static List<String> architectures() {
    List<String> out = new ArrayList<>();
    for (Architecture a : Architecture.values()) {
      out.add(a.id());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * What keeps the engine from running {@code file}, one sentence per problem; empty when
   * {@link Model#load} would succeed on it. An unsupported architecture and unsupported tensor
   * types are all listed (one line per type, naming its first tensor); the checks that need a
   * supported architecture (hyperparameters, tokenizer, required tensors and their shapes) run
   * only when those pass, and report the first failure.
   */
  public static List<String> problems(GgufFile file) {
    List<String> out = new ArrayList<>();
    String source = file.path().toString();
    Architecture architecture = null;
    String arch = file.metadata().architecture().orElse(null);
    if (arch == null) {
      out.add("metadata key 'general.architecture' is missing, so this is not a model file (a vocabulary-only "
          + "file?)");
    } else {
      try {
        architecture = Architecture.of(arch, source);
      } catch (ModelLoadException e) {
        out.add("architecture '" + arch + "' is not supported; supported: " + String.join(", ", architectures()));
      }
    }
    Map<GgmlType, List<GgufTensor>> unsupported = new LinkedHashMap<>();
    for (GgufTensor t : file.tensors()) {
      if (!t.type().supported()) {
        unsupported.computeIfAbsent(t.type(), k -> new ArrayList<>()).add(t);
      }
    }
    for (Map.Entry<GgmlType, List<GgufTensor>> e : unsupported.entrySet()) {
      List<GgufTensor> ts = e.getValue();
      out.add("tensor " + ts.get(0).name() + " is " + e.getKey() + ", which the engine cannot compute with"
          + (ts.size() > 1 ? " (nor the " + (ts.size() - 1) + " other " + e.getKey() + " tensors)" : "")
          + "; it computes with " + typeList());
    }
    if (architecture == null || !out.isEmpty()) {
      return Collections.unmodifiableList(out);
    }
    try {
      Hyperparameters hp = new Hyperparameters(architecture, file.metadata(), source);
      if (hp.layers > file.tensors().size()) {
        out.add(arch + ".block_count says " + hp.layers + " layers, but the file holds only " + file.tensors().size()
            + " tensors");
        return Collections.unmodifiableList(out);
      }
      Tokenizer.from(file);
      architecture.bind(hp, new Tensors(file));
    } catch (ModelLoadException e) {
      out.add(withoutSource(e.getMessage(), source));
    }
    return Collections.unmodifiableList(out);
  }

  private static String typeList() {
    StringBuilder sb = new StringBuilder();
    for (GgmlType t : GgmlType.supportedTypes()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(t);
    }
    return sb.toString();
  }

  /** The engine's messages start with the file (and an offset); the caller already shows which file. */
  private static String withoutSource(String message, String source) {
    if (message == null) {
      return "the engine refuses the file";
    }
    String m = message;
    for (int i = 0; i < 2; i++) {
      int colon = m.indexOf(": ");
      if (colon > 0 && (m.startsWith(source) || m.startsWith(fileName(source)))) {
        m = m.substring(colon + 2);
      }
    }
    return m;
  }

  private static String fileName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return source.substring(slash + 1);
  }
}

package dev.banter.cli;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufMetadata;
import dev.banter.local.gguf.GgufTensor;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.model.ModelSupport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/** The text {@code banter models inspect} prints about a GGUF file. */
final class ModelReport {
  private ModelReport() {}

  static String of(GgufFile f, int templateLines) {
    GgufMetadata m = f.metadata();
    StringBuilder sb = new StringBuilder();
    row(sb, "file", f.path().toString());
    row(sb, "size", Units.human(f.fileSize()) + " (" + String.format(Locale.ROOT, "%,d", f.fileSize()) + " bytes)");
    row(sb, "format", "GGUF v" + f.version() + ", " + f.tensors().size() + " tensors, " + m.keys().size()
        + " metadata keys");
    row(sb, "architecture", m.architecture().orElse("(not stated)"));
    m.name().ifPresent(n -> row(sb, "name", n));
    long params = 0;
    Map<String, Integer> types = new TreeMap<>();
    Map<String, Long> typeBytes = new TreeMap<>();
    for (GgufTensor t : f.tensors()) {
      params += t.elementCount();
      types.merge(t.type().name(), 1, Integer::sum);
      typeBytes.merge(t.type().name(), t.byteSize(), Long::sum);
    }
    row(sb, "parameters", count(params) + " (" + String.format(Locale.ROOT, "%,d", params) + ")");
    row(sb, "context", m.contextLength().isPresent() ? m.contextLength().getAsInt() + " tokens" : "(not stated)");
    List<String> shape = new ArrayList<>();
    add(shape, "layers", m.blockCount());
    add(shape, "embedding", m.embeddingLength());
    add(shape, "feed-forward", m.feedForwardLength());
    add(shape, "heads", m.headCount());
    add(shape, "kv heads", m.headCountKv());
    add(shape, "experts", m.expertCount());
    if (!shape.isEmpty()) {
      row(sb, "shape", String.join(", ", shape));
    }
    StringBuilder vocab = new StringBuilder();
    int vocabSize = m.vocabSize().isPresent() ? m.vocabSize().getAsInt()
        : m.tokenizerTokens().map(GgufValue::size).orElse(-1);
    vocab.append(vocabSize >= 0 ? vocabSize + " tokens" : "(no vocabulary)");
    m.tokenizerModel().ifPresent(t -> vocab.append(", tokenizer ").append(t));
    m.tokenizerPre().ifPresent(p -> vocab.append(" (pre-tokenizer ").append(p).append(')'));
    row(sb, "vocabulary", vocab.toString());
    // The type holding most bytes first: that is what decides speed and quality.
    List<String> order = new ArrayList<>(types.keySet());
    order.sort(Comparator.comparing((String type) -> typeBytes.get(type)).reversed().thenComparing(type -> type));
    List<String> typeList = new ArrayList<>();
    for (String type : order) {
      typeList.add(type + " ×" + types.get(type) + " (" + Units.human(typeBytes.get(type)) + ")");
    }
    row(sb, "tensor types", typeList.isEmpty() ? "(no tensors)" : String.join(", ", typeList));
    List<String> problems = f.tensors().isEmpty() ? List.of("the file holds no tensors (a vocabulary-only file?)")
        : ModelSupport.problems(f);
    if (problems.isEmpty()) {
      row(sb, "engine", "runs on Banter's local engine");
    } else {
      row(sb, "engine", "cannot run on Banter's local engine:");
      for (String p : problems) {
        sb.append("    - ").append(p).append('\n');
      }
    }
    String template = m.chatTemplate().orElse("");
    if (template.isEmpty()) {
      row(sb, "chat template", "(none)");
    } else {
      String[] lines = template.split("\r?\n", -1);
      row(sb, "chat template", lines.length + (lines.length == 1 ? " line" : " lines")
          + (templateLines > 0 ? ", starting:" : ""));
      int shown = Math.min(templateLines, lines.length);
      for (int i = 0; i < shown; i++) {
        sb.append("    ").append(cut(lines[i], 120)).append('\n');
      }
      if (shown > 0 && shown < lines.length) {
        sb.append("    … ").append(lines.length - shown).append(" more\n");
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String key, String value) {
    sb.append(String.format(Locale.ROOT, "%-14s", key)).append(value).append('\n');
  }

  private static void add(List<String> out, String name, OptionalInt v) {
    if (v.isPresent()) {
      out.add(name + " " + v.getAsInt());
    }
  }

  /** 6.6 M, 1.24 B, 812 K. */
  static String count(long n) {
    if (n >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f B", n / 1e9);
    }
    if (n >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1f M", n / 1e6);
    }
    if (n >= 1_000L) {
      return String.format(Locale.ROOT, "%.1f K", n / 1e3);
    }
    return String.valueOf(n);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}

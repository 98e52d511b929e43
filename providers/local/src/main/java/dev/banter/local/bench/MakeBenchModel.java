package dev.banter.local.bench;

import dev.banter.api.BanterException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.gguf.GgufWriter;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.Quantizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Writes a llama-architecture GGUF model with seeded random weights for speed measurements:
 * by default "bench-1b", TinyLlama-1.1B's shape (dim 2048, 22 layers, 32 heads, 4 KV heads, FFN
 * 5632, context 2048, untied output matrix), with the vocabulary copied from a vocabulary-only
 * GGUF file. Tensor types follow what {@code llama-quantize} chooses for the file type:
 *
 * <ul>
 *   <li>{@code Q8_0}: every matrix Q8_0;
 *   <li>{@code Q4_0}: every matrix Q4_0 except {@code output.weight}, Q6_K;
 *   <li>{@code Q4_K_M}: Q4_K, with {@code output.weight} Q6_K and {@code attn_v} and {@code
 *       ffn_down} Q6_K in the layers llama.cpp's {@code use_more_bits} picks (the first and last
 *       eighth, and every third layer between); {@code token_embd} stays Q4_K.
 * </ul>
 *
 * Norm weights are F32 ones. The sizes match llama.cpp's files of the same shape within a MiB
 * (bench-1b here: Q8_0 1115.6 MiB = 1.09 GiB, Q4_0 607.2 MiB, Q4_K_M 636.9 MiB; llama.cpp's: 1.09
 * GiB, 607 MiB, 636 MiB). Weight values are uniform with standard deviation 0.02; speed does not
 * depend on them. Writing bench-1b takes 5 to 20 s on two cores.
 *
 * <pre>
 * java -cp banter-local.jar:banter-api.jar dev.banter.local.bench.MakeBenchModel \
 *     --vocab ggml-vocab-llama-spm.gguf --type Q4_K_M --out bench-1b-q4_k_m.gguf [--seed 1]
 * </pre>
 *
 * <p>{@code --dim}, {@code --layers}, {@code --heads}, {@code --kv-heads}, {@code --ffn} and
 * {@code --context} change the shape (dim and ffn must be multiples of 256). Errors go to
 * standard error with exit code 2 (usage) or 1 (unreadable vocabulary, unwritable output).
 */
public final class MakeBenchModel {
  /** Standard deviation of the random weights, as a freshly initialised transformer's. */
  static final float WEIGHT_STD = 0.02f;
  /** Rows quantized per batch (in parallel) before they are written. */
  private static final int ROWS_PER_BATCH = 512;

  private MakeBenchModel() {}

  /** The dimensions of a llama model. */
  static final class Shape {
    final int dim;
    final int layers;
    final int heads;
    final int kvHeads;
    final int ffn;
    final int context;

    Shape(int dim, int layers, int heads, int kvHeads, int ffn, int context) {
      this.dim = dim;
      this.layers = layers;
      this.heads = heads;
      this.kvHeads = kvHeads;
      this.ffn = ffn;
      this.context = context;
    }

    int kvDim() {
      return dim / heads * kvHeads;
    }

    /** What is wrong with this shape, or null. */
    String problem() {
      if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffn <= 0 || context <= 0) {
        return "every dimension must be positive";
      }
      if (dim % 256 != 0 || ffn % 256 != 0) {
        return "dim and ffn must be multiples of 256 (the K-quant block), got " + dim + " and " + ffn;
      }
      if (dim % heads != 0 || heads % kvHeads != 0) {
        return "heads must divide dim and kv-heads must divide heads, got dim " + dim + ", "
            + heads + " heads, " + kvHeads + " kv heads";
      }
      return null;
    }
  }

  /** TinyLlama-1.1B's shape. */
  static final Shape BENCH_1B = new Shape(2048, 22, 32, 4, 5632, 2048);

  /** A file type: which GGML type each matrix gets. */
  enum FileType {
    Q8_0(7),
    Q4_0(2),
    Q4_K_M(15);

    /** llama.cpp's {@code llama_ftype} number, stored as {@code general.file_type}. */
    final int ftype;

    FileType(int ftype) {
      this.ftype = ftype;
    }

    /** The type of matrix {@code name} ({@code blk.<layer>.<kind>.weight}, or a global one). */
    GgmlType typeOf(String name, int layer, int layers) {
      switch (this) {
        case Q8_0:
          return GgmlType.Q8_0;
        case Q4_0:
          return name.equals("output.weight") ? GgmlType.Q6_K : GgmlType.Q4_0;
        default:
          if (name.equals("output.weight")) {
            return GgmlType.Q6_K;
          }
          if ((name.endsWith(".attn_v.weight") || name.endsWith(".ffn_down.weight"))
              && useMoreBits(layer, layers)) {
            return GgmlType.Q6_K;
          }
          return GgmlType.Q4_K;
      }
    }
  }

  /** llama.cpp's choice of layers that get more bits in the _M mixes. */
  static boolean useMoreBits(int layer, int layers) {
    return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String vocab = null;
    String type = null;
    String output = null;
    long seed = 1;
    int[] dims = {BENCH_1B.dim, BENCH_1B.layers, BENCH_1B.heads, BENCH_1B.kvHeads, BENCH_1B.ffn,
        BENCH_1B.context};
    String[] dimFlags = {"--dim", "--layers", "--heads", "--kv-heads", "--ffn", "--context"};
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        usage(out, null);
        return 0;
      }
      if (i + 1 >= args.length) {
        return usage(err, a.startsWith("--") ? a + " needs a value" : "unknown argument '" + a + "'");
      }
      String v = args[++i];
      switch (a) {
        case "--vocab":
          vocab = v;
          break;
        case "--type":
          type = v;
          break;
        case "--out":
          output = v;
          break;
        case "--seed":
          try {
            seed = Long.parseLong(v);
          } catch (NumberFormatException e) {
            return usage(err, "--seed needs an integer, got '" + v + "'");
          }
          break;
        default:
          int d = indexOf(dimFlags, a);
          if (d < 0) {
            return usage(err, "unknown argument '" + a + "'");
          }
          try {
            dims[d] = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            return usage(err, a + " needs an integer, got '" + v + "'");
          }
          break;
      }
    }
    if (vocab == null || type == null || output == null) {
      return usage(err, "--vocab, --type and --out are required");
    }
    FileType fileType;
    try {
      fileType = FileType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return usage(err, "--type must be Q8_0, Q4_0 or Q4_K_M, got '" + type + "'");
    }
    Shape shape = new Shape(dims[0], dims[1], dims[2], dims[3], dims[4], dims[5]);
    String problem = shape.problem();
    if (problem != null) {
      return usage(err, problem);
    }
    try {
      long t0 = System.nanoTime();
      long bytes = write(Paths.get(vocab), shape, fileType, seed, Paths.get(output));
      out.printf(java.util.Locale.ROOT, "wrote %s: %s, %.1f MiB (%d bytes) in %.1f s%n", output,
          fileType, bytes / 1048576.0, bytes, (System.nanoTime() - t0) / 1e9);
      return 0;
    } catch (BanterException e) {
      err.println("make-bench-model: " + e.getMessage());
      return 1;
    } catch (UncheckedIOException e) {
      err.println("make-bench-model: " + e.getMessage());
      return 1;
    }
  }

  private static int indexOf(String[] a, String s) {
    for (int i = 0; i < a.length; i++) {
      if (a[i].equals(s)) {
        return i;
      }
    }
    return -1;
  }

  private static int usage(PrintStream s, String problem) {
    if (problem != null) {
      s.println("make-bench-model: " + problem);
    }
    s.println("usage: MakeBenchModel --vocab VOCAB.gguf --type Q8_0|Q4_0|Q4_K_M --out FILE.gguf"
        + " [--seed N] [--dim 2048] [--layers 22] [--heads 32] [--kv-heads 4] [--ffn 5632]"
        + " [--context 2048]");
    return problem == null ? 0 : 2;
  }

  /**
   * Writes the model and returns the file's size in bytes.
   *
   * @throws BanterException if the vocabulary file cannot be read
   * @throws UncheckedIOException if the output cannot be written
   */
  static long write(Path vocab, Shape shape, FileType fileType, long seed, Path output) {
    GgufWriter w = GgufWriter.create();
    w.putString("general.architecture", "llama");
    w.putString("general.name", "bench-1b");
    w.putUint32("general.file_type", fileType.ftype);
    w.putUint32("general.quantization_version", 2);
    w.putUint32("llama.context_length", shape.context);
    w.putUint32("llama.embedding_length", shape.dim);
    w.putUint32("llama.block_count", shape.layers);
    w.putUint32("llama.feed_forward_length", shape.ffn);
    w.putUint32("llama.rope.dimension_count", shape.dim / shape.heads);
    w.putUint32("llama.attention.head_count", shape.heads);
    w.putUint32("llama.attention.head_count_kv", shape.kvHeads);
    w.putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    w.putFloat32("llama.rope.freq_base", 10000f);
    int vocabSize;
    try (GgufFile v = GgufFile.open(vocab)) {
      for (Map.Entry<String, GgufValue> e : v.metadata().asMap().entrySet()) {
        if (e.getKey().startsWith("tokenizer.")) {
          w.put(e.getKey(), e.getValue());
        }
      }
      vocabSize = v.metadata().tokenizerTokens()
          .orElseThrow(() -> new dev.banter.api.ModelLoadException(vocab
              + " has no tokenizer.ggml.tokens; pass a vocabulary GGUF file such as"
              + " ggml-vocab-llama-spm.gguf", null, -1))
          .size();
    }
    w.putUint32("llama.vocab_size", vocabSize);

    int[] index = {0};
    addMatrix(w, "token_embd.weight", fileType.typeOf("token_embd.weight", -1, shape.layers),
        shape.dim, vocabSize, seed, index[0]++);
    for (int l = 0; l < shape.layers; l++) {
      String p = "blk." + l + ".";
      w.addTensorF32(p + "attn_norm.weight", new long[] {shape.dim}, ones(shape.dim));
      int[][] mats = {
        {shape.dim, shape.dim}, {shape.dim, shape.kvDim()}, {shape.dim, shape.kvDim()},
        {shape.dim, shape.dim}
      };
      String[] names = {"attn_q", "attn_k", "attn_v", "attn_output"};
      for (int m = 0; m < names.length; m++) {
        String name = p + names[m] + ".weight";
        addMatrix(w, name, fileType.typeOf(name, l, shape.layers), mats[m][0], mats[m][1], seed, index[0]++);
      }
      w.addTensorF32(p + "ffn_norm.weight", new long[] {shape.dim}, ones(shape.dim));
      String gate = p + "ffn_gate.weight";
      String up = p + "ffn_up.weight";
      String down = p + "ffn_down.weight";
      addMatrix(w, gate, fileType.typeOf(gate, l, shape.layers), shape.dim, shape.ffn, seed, index[0]++);
      addMatrix(w, down, fileType.typeOf(down, l, shape.layers), shape.ffn, shape.dim, seed, index[0]++);
      addMatrix(w, up, fileType.typeOf(up, l, shape.layers), shape.dim, shape.ffn, seed, index[0]++);
    }
    w.addTensorF32("output_norm.weight", new long[] {shape.dim}, ones(shape.dim));
    addMatrix(w, "output.weight", fileType.typeOf("output.weight", -1, shape.layers), shape.dim,
        vocabSize, seed, index[0]++);
    w.write(output);
    try {
      return Files.size(output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + output + ": " + e.getMessage(), e);
    }
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  /**
   * Declares a {@code rows × cols} matrix whose rows are generated and quantized when the file is
   * written, {@link #ROWS_PER_BATCH} rows at a time in parallel; row r of tensor number {@code
   * tensor} always gets the same values for the same seed.
   */
  private static void addMatrix(GgufWriter w, String name, GgmlType type, int cols, int rows,
      long seed, int tensor) {
    int rowBytes = (int) type.byteSize(cols);
    w.addTensor(name, type, new long[] {cols, rows}, (OutputStream out) -> {
      byte[] bytes = new byte[Math.min(rows, ROWS_PER_BATCH) * rowBytes];
      for (int r0 = 0; r0 < rows; r0 += ROWS_PER_BATCH) {
        int start = r0;
        int n = Math.min(ROWS_PER_BATCH, rows - r0);
        IntStream.range(0, n).parallel().forEach(k -> {
          float[] row = randomRow(seed, tensor, start + k, cols);
          ByteBuffer dst = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
          Quantizer.quantizeRow(type, row, 0, dst, k * rowBytes, cols);
        });
        out.write(bytes, 0, n * rowBytes);
      }
    });
  }

  /** Uniform weights of standard deviation {@link #WEIGHT_STD} from a SplitMix64 stream. */
  static float[] randomRow(long seed, int tensor, int row, int cols) {
    long s = mix(seed * 0x9E3779B97F4A7C15L + tensor) ^ mix((long) row + 0x632BE59BD9B4E019L);
    float half = WEIGHT_STD * (float) Math.sqrt(3.0);
    float[] v = new float[cols];
    for (int j = 0; j < cols; j++) {
      s += 0x9E3779B97F4A7C15L;
      long z = mix(s);
      v[j] = ((z >>> 40) * 0x1p-24f * 2f - 1f) * half;
    }
    return v;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

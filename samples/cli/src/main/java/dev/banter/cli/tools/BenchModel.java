package dev.banter.cli.tools;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufValue;
import dev.banter.local.gguf.GgufWriter;
import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tensor.Quantizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Writes a llama-architecture GGUF model with seeded random weights for speed measurements: by
 * default "bench-1b", TinyLlama-1.1B's shape (dim 2048, 22 layers, 32 heads, 4 KV heads, FFN 5632,
 * context 2048, untied output matrix), with the vocabulary copied from another GGUF file. Tensor
 * types follow what {@code llama-quantize} chooses for the file type:
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
 * (bench-1b: Q8_0 1115.6 MiB, Q4_0 607.2 MiB, Q4_K_M 636.9 MiB; llama.cpp's: 1.09 GiB, 607 MiB,
 * 636 MiB). Weights are uniform with standard deviation 0.02; speed does not depend on them.
 *
 * <pre>{@code
 * long bytes = BenchModel.write(new BenchModel.Settings(vocab, BenchModel.FileType.Q4_K_M,
 *     Path.of("bench-1b-q4_k_m.gguf"), 1, BenchModel.Shape.BENCH_1B));
 * }</pre>
 */
public final class BenchModel {
  /** Standard deviation of the random weights, as a freshly initialised transformer's. */
  static final float WEIGHT_STD = 0.02f;
  /** Rows quantized per batch (in parallel) before they are written. */
  private static final int ROWS_PER_BATCH = 512;

  private BenchModel() {}

  /** The dimensions of a llama model; dim and ffn are multiples of 256 (the K-quant block). */
  public record Shape(int dim, int layers, int heads, int kvHeads, int ffn, int context) {
    /** TinyLlama-1.1B's shape. */
    public static final Shape BENCH_1B = new Shape(2048, 22, 32, 4, 5632, 2048);

    public Shape {
      if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffn <= 0 || context <= 0) {
        throw new IllegalArgumentException("every dimension must be positive");
      }
      if (dim % 256 != 0 || ffn % 256 != 0) {
        throw new IllegalArgumentException("dim and ffn must be multiples of 256 (the K-quant block), got "
            + dim + " and " + ffn);
      }
      if (dim % heads != 0 || heads % kvHeads != 0) {
        throw new IllegalArgumentException("heads must divide dim and kv-heads must divide heads, got dim " + dim
            + ", " + heads + " heads, " + kvHeads + " kv heads");
      }
    }

    int kvDim() {
      return dim / heads * kvHeads;
    }
  }

  /** A file type: which GGML type each matrix gets. */
  public enum FileType {
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
      return switch (this) {
        case Q8_0 -> GgmlType.Q8_0;
        case Q4_0 -> name.equals("output.weight") ? GgmlType.Q6_K : GgmlType.Q4_0;
        case Q4_K_M -> {
          boolean moreBits = (name.endsWith(".attn_v.weight") || name.endsWith(".ffn_down.weight"))
              && useMoreBits(layer, layers);
          yield name.equals("output.weight") || moreBits ? GgmlType.Q6_K : GgmlType.Q4_K;
        }
      };
    }
  }

  /** What to write; the vocabulary is copied from {@code vocab}'s {@code tokenizer.*} metadata. */
  public record Settings(Path vocab, FileType type, Path out, long seed, Shape shape) {
    public Settings {
      Objects.requireNonNull(vocab, "vocab");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(shape, "shape");
    }
  }

  /** llama.cpp's choice of layers that get more bits in the _M mixes. */
  static boolean useMoreBits(int layer, int layers) {
    return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
  }

  /**
   * Writes the model and returns the file's size in bytes.
   *
   * @throws ModelLoadException if the vocabulary file cannot be read or holds no vocabulary
   * @throws UncheckedIOException if the output cannot be written
   */
  public static long write(Settings s) {
    Shape shape = s.shape();
    FileType fileType = s.type();
    GgufWriter w = GgufWriter.create();
    w.putString("general.architecture", "llama");
    w.putString("general.name", "bench-1b");
    w.putUint32("general.file_type", fileType.ftype);
    w.putUint32("general.quantization_version", 2);
    w.putUint32("llama.context_length", shape.context());
    w.putUint32("llama.embedding_length", shape.dim());
    w.putUint32("llama.block_count", shape.layers());
    w.putUint32("llama.feed_forward_length", shape.ffn());
    w.putUint32("llama.rope.dimension_count", shape.dim() / shape.heads());
    w.putUint32("llama.attention.head_count", shape.heads());
    w.putUint32("llama.attention.head_count_kv", shape.kvHeads());
    w.putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    w.putFloat32("llama.rope.freq_base", 10000f);
    int vocabSize;
    try (GgufFile v = GgufFile.open(s.vocab())) {
      for (Map.Entry<String, GgufValue> e : v.metadata().asMap().entrySet()) {
        if (e.getKey().startsWith("tokenizer.")) {
          w.put(e.getKey(), e.getValue());
        }
      }
      vocabSize = v.metadata().tokenizerTokens()
          .orElseThrow(() -> new ModelLoadException(s.vocab() + " has no tokenizer.ggml.tokens; pass a vocabulary"
              + " GGUF file such as ggml-vocab-llama-spm.gguf, or any model", s.vocab().toString(), -1))
          .size();
    }
    w.putUint32("llama.vocab_size", vocabSize);

    int tensor = 0;
    addMatrix(w, "token_embd.weight", fileType.typeOf("token_embd.weight", -1, shape.layers()),
        shape.dim(), vocabSize, s.seed(), tensor++);
    String[] attention = {"attn_q", "attn_k", "attn_v", "attn_output"};
    int[] attentionRows = {shape.dim(), shape.kvDim(), shape.kvDim(), shape.dim()};
    for (int l = 0; l < shape.layers(); l++) {
      String p = "blk." + l + ".";
      w.addTensorF32(p + "attn_norm.weight", new long[] {shape.dim()}, ones(shape.dim()));
      for (int m = 0; m < attention.length; m++) {
        String name = p + attention[m] + ".weight";
        addMatrix(w, name, fileType.typeOf(name, l, shape.layers()), shape.dim(), attentionRows[m], s.seed(),
            tensor++);
      }
      w.addTensorF32(p + "ffn_norm.weight", new long[] {shape.dim()}, ones(shape.dim()));
      String gate = p + "ffn_gate.weight";
      String up = p + "ffn_up.weight";
      String down = p + "ffn_down.weight";
      addMatrix(w, gate, fileType.typeOf(gate, l, shape.layers()), shape.dim(), shape.ffn(), s.seed(), tensor++);
      addMatrix(w, down, fileType.typeOf(down, l, shape.layers()), shape.ffn(), shape.dim(), s.seed(), tensor++);
      addMatrix(w, up, fileType.typeOf(up, l, shape.layers()), shape.dim(), shape.ffn(), s.seed(), tensor++);
    }
    w.addTensorF32("output_norm.weight", new long[] {shape.dim()}, ones(shape.dim()));
    addMatrix(w, "output.weight", fileType.typeOf("output.weight", -1, shape.layers()), shape.dim(),
        vocabSize, s.seed(), tensor);
    w.write(s.out());
    try {
      return Files.size(s.out());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + s.out() + ": " + e.getMessage(), e);
    }
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    Arrays.fill(v, 1f);
    return v;
  }

  /**
   * Declares a {@code rows × cols} matrix whose rows are generated and quantized when the file is
   * written, {@link #ROWS_PER_BATCH} rows at a time in parallel; row r of tensor number {@code
   * tensor} always gets the same values for the same seed.
   */
  private static void addMatrix(GgufWriter w, String name, GgmlType type, int cols, int rows, long seed, int tensor) {
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

package dev.banter.local.tensor;

import dev.banter.api.ModelLoadException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.logging.Logger;

/**
 * A weight matrix of {@code rows × cols} in one GGML type, read in place from a (typically
 * memory-mapped) little-endian buffer: row {@code r} is the {@code r}-th run of {@code cols}
 * weights (ggml's {@code ne[0] = cols}, {@code ne[1] = rows}). It computes matrix-vector products
 * for decode, batched products for prefill (each weight block is read from memory once per batch)
 * and expands single rows for embedding lookup. The shape is checked once here; the products
 * trust it.
 *
 * <p>Kernels: the incubator Vector API when the JVM runs with {@code --add-modules
 * jdk.incubator.vector} and a vector unit of at least 256 bits (see {@link #vectorized()}),
 * plain Java otherwise; {@code -Dbanter.vector=false} forces plain Java.
 *
 * <p>Immutable and thread-safe: any number of threads may multiply with it at once (each uses
 * its own scratch buffers).
 *
 * <pre>{@code
 * WeightMatrix wq = WeightMatrix.of("blk.0.attn_q.weight", GgmlType.Q8_0, 2048, 2048, slice);
 * wq.matvec(x, q, pool);                 // q[r] = row_r . x, rows split over the pool
 * wq.matmul(xs, tokens, qs, pool);        // xs: tokens × 2048, qs: tokens × 2048
 * embeddings.dequantizeRow(tokenId, x, 0);
 * }</pre>
 */
public final class WeightMatrix {
  private static final Logger LOG = Logger.getLogger(WeightMatrix.class.getName());
  private static final boolean VECTOR = vectorAvailable();
  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<Scratch>() {
    @Override
    protected Scratch initialValue() {
      return new Scratch();
    }
  };

  private final String name;
  private final GgmlType type;
  private final int rows;
  private final int cols;
  private final int rowBytes;
  /**
   * The rows in parts of {@code partRows} rows each (the last may hold fewer): one part unless the
   * matrix exceeds what one buffer holds (2 GiB), as the F16 embedding of a 128k-token vocabulary
   * at 8B does. Kernels address a part's rows with int offsets.
   */
  private final ByteBuffer[] parts;
  /** A MemorySegment over each part where decode loads straight from it, else null. */
  private final Object[] segments;
  private final int partRows;

  private WeightMatrix(String name, GgmlType type, int rows, int cols, int rowBytes, ByteBuffer[] parts,
      int partRows) {
    this.name = name;
    this.type = type;
    this.rows = rows;
    this.cols = cols;
    this.rowBytes = rowBytes;
    this.parts = parts;
    this.partRows = partRows;
    this.segments = new Object[parts.length];
    if (VECTOR && DirectKernels.available() && DirectKernels.supports(type)) {
      for (int p = 0; p < parts.length; p++) {
        segments[p] = DirectKernels.segmentOf(parts[p]);
      }
    }
  }

  /**
   * A matrix over {@code data} from its position on (the buffer is not copied; its position,
   * limit and byte order are left alone).
   *
   * @param name the tensor's name, for messages
   * @throws ModelLoadException if the type has no kernels, {@code cols} is not a whole number of
   *     blocks, a dimension is not positive, the matrix exceeds 2 GiB, or {@code data} holds fewer
   *     bytes than the shape needs; the message names the tensor, its type and its shape
   */
  public static WeightMatrix of(String name, GgmlType type, int rows, int cols, ByteBuffer data) {
    String what = describe(name, type, rows, cols);
    check(what, type, rows, cols);
    long rowBytes = type.byteSize(cols);
    long total = rowBytes * rows;
    if (total > Integer.MAX_VALUE) {
      throw new ModelLoadException(what + ": " + total + " bytes exceed the 2 GiB one buffer holds; pass the "
          + "rows in parts (WeightMatrix.ofParts)", null, -1);
    }
    return new WeightMatrix(name, type, rows, cols, (int) rowBytes,
        new ByteBuffer[] {view(what, data, total)}, rows);
  }

  /**
   * A matrix whose rows are spread over several buffers, each from its position on holding
   * {@code partRows} whole rows (the last the rest): for tensors larger than one buffer can hold.
   *
   * @throws ModelLoadException as {@link #of}, or if the parts do not hold {@code rows} rows
   */
  public static WeightMatrix ofParts(String name, GgmlType type, int rows, int cols, int partRows,
      ByteBuffer... parts) {
    String what = describe(name, type, rows, cols);
    check(what, type, rows, cols);
    long rowBytes = type.byteSize(cols);
    if (partRows < 1 || (long) partRows * rowBytes > Integer.MAX_VALUE
        || (long) parts.length * partRows < rows || (long) (parts.length - 1) * partRows >= rows) {
      throw new ModelLoadException(what + ": " + parts.length + " parts of " + partRows + " rows do not hold "
          + rows + " rows in buffers of at most 2 GiB", null, -1);
    }
    ByteBuffer[] views = new ByteBuffer[parts.length];
    for (int p = 0; p < parts.length; p++) {
      int n = Math.min(partRows, rows - p * partRows);
      views[p] = view(what + " part " + p, parts[p], n * rowBytes);
    }
    return new WeightMatrix(name, type, rows, cols, (int) rowBytes, views, partRows);
  }

  private static String describe(String name, GgmlType type, int rows, int cols) {
    return "tensor '" + name + "' (" + type + ", " + rows + " rows × " + cols + " cols)";
  }

  private static void check(String what, GgmlType type, int rows, int cols) {
    if (!isComputable(type)) {
      throw new ModelLoadException(what + ": the engine cannot compute with " + type
          + "; it supports " + computableTypes() + ". Re-quantize the model to one of these types.",
          null, -1);
    }
    if (rows <= 0 || cols <= 0) {
      throw new ModelLoadException(what + ": dimensions must be positive", null, -1);
    }
    if (cols % type.blockSize() != 0) {
      throw new ModelLoadException(what + ": a row of " + cols + " weights is not a whole number of "
          + type + " blocks of " + type.blockSize(), null, -1);
    }
  }

  private static ByteBuffer view(String what, ByteBuffer data, long total) {
    if (data.remaining() < total) {
      throw new ModelLoadException(what + ": needs " + total + " bytes but its data holds only "
          + data.remaining() + "; the file is truncated or the tensor's offset is wrong", null, -1);
    }
    ByteBuffer slice = data.slice();
    ((Buffer) slice).limit((int) total); // via Buffer: Android's limit(int) returns Buffer
    return slice.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static boolean isComputable(GgmlType type) {
    return switch (type) {
      case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, IQ4_NL, MXFP4, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS -> true;
      default -> false;
    };
  }

  private static String computableTypes() {
    StringBuilder sb = new StringBuilder();
    for (GgmlType t : GgmlType.values()) {
      if (isComputable(t)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(t);
      }
    }
    return sb.toString();
  }

  /**
   * Whether products run on the Vector API kernels in this JVM (decided once, at class load).
   */
  public static boolean vectorized() {
    return VECTOR;
  }

  /**
   * The width of the vectors the kernels compute with, in bits (128, 256 or 512), or 0 when the
   * scalar kernels run; decided once, at class load.
   */
  public static int vectorBits() {
    return VECTOR ? VectorKernels.bits() : 0;
  }

  /**
   * Which kernels products run on, for reports: {@code "scalar"}, {@code "vector"} (weights
   * copied out of the mapping per chunk) or {@code "vector+direct"} (JDK 22+, loaded from the
   * mapping).
   */
  public static String kernels() {
    return !VECTOR ? "scalar" : DirectKernels.available() ? "vector+direct" : "vector";
  }

  /**
   * Whether the Vector API checks each vector load against its array or segment bounds: true
   * unless the JVM runs with {@code -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0} (the
   * {@code banter} command with {@code BANTER_VECTOR_CHECKS=0}). Without the check, decode ran
   * 5-20 % faster and prompt evaluation 10-20 % slower on an AVX2 machine (JDK 25, bench-1b), so
   * it is an application's choice; a library does not turn off a JVM-wide check by itself.
   */
  public static boolean boundsChecked() {
    return !"0".equals(System.getProperty("jdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK"));
  }

  /**
   * Whether decode products load their weights straight from the mapped file (JDK 22 and later,
   * with the Vector API) instead of copying them first; decided once, at class load.
   */
  public static boolean directLoads() {
    return VECTOR && DirectKernels.available();
  }

  public String name() {
    return name;
  }

  public GgmlType type() {
    return type;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Bytes per row in the buffer. */
  public int rowBytes() {
    return rowBytes;
  }

  /**
   * {@code out[r] = row_r . x} for every row, on the calling thread.
   *
   * @throws IllegalArgumentException if {@code x} is shorter than {@code cols} or {@code out}
   *     shorter than {@code rows}
   */
  public void matvec(float[] x, float[] out) {
    checkArrays(x, 0, out, 0, 1);
    multiplyRows(x, 0, 1, out, 0, 0, rows, SCRATCH.get());
  }

  /** {@code out[r] = row_r . x} for every row, rows split over {@code pool}. */
  public void matvec(float[] x, float[] out, RowPool pool) {
    matvec(x, 0, out, 0, pool);
  }

  /**
   * {@code out[outOffset + r] = row_r . x[xOffset .. xOffset + cols)} for every row, rows split
   * over {@code pool}.
   *
   * @throws IllegalArgumentException if an array is too short for the offsets and shape
   */
  public void matvec(float[] x, int xOffset, float[] out, int outOffset, RowPool pool) {
    checkArrays(x, xOffset, out, outOffset, 1);
    pool.run(this, x, xOffset, 1, out, outOffset);
  }

  /**
   * {@code out[outOffset + r] = row_r . x[xOffset ..]} for rows {@code [rowStart, rowEnd)} only,
   * on the calling thread: for callers that split rows over threads of their own.
   *
   * @throws IllegalArgumentException if the range or an array does not fit the shape
   */
  public void matvecRows(float[] x, int xOffset, float[] out, int outOffset, int rowStart, int rowEnd) {
    checkArrays(x, xOffset, out, outOffset, 1);
    if (rowStart < 0 || rowEnd > rows || rowStart > rowEnd) {
      throw new IllegalArgumentException("row range [" + rowStart + ", " + rowEnd + ") is outside "
          + name + "'s " + rows + " rows");
    }
    multiplyRows(x, xOffset, 1, out, outOffset, rowStart, rowEnd, SCRATCH.get());
  }

  /**
   * The matrix-vector products of {@code tokens} vectors at once (several sequences' decode steps
   * in one pass): for each token {@code t}, {@code outs[t · rows + r] = row_r . xs[t · cols ..]},
   * rows split over {@code pool}. Each token's results are bit for bit those of {@link
   * #matvec(float[], float[], RowPool)} on its vector alone (unlike {@link #matmul}, whose kernels
   * round differently), while the weights are read from memory once for all tokens: rows go in
   * tiles small enough to stay in the cache while every token's vector is multiplied with them.
   *
   * @param xs {@code tokens × cols} activations, token-major
   * @param outs receives {@code tokens × rows} results, token-major
   * @throws IllegalArgumentException if {@code tokens < 1} or an array is too short
   */
  public void matvecBatch(float[] xs, int tokens, float[] outs, RowPool pool) {
    checkArrays(xs, 0, outs, 0, tokens);
    pool.runVectors(this, xs, 0, tokens, outs, 0);
  }

  /**
   * {@link #matvecBatch} for rows {@code [rowStart, rowEnd)} only, on the calling thread; inputs
   * from {@code xs[xOffset + t · cols]}, results at {@code outs[outOffset + t · rows + r]}.
   *
   * @throws IllegalArgumentException if the range or an array does not fit the shape
   */
  public void matvecBatchRows(float[] xs, int xOffset, int tokens, float[] outs, int outOffset, int rowStart,
      int rowEnd) {
    checkArrays(xs, xOffset, outs, outOffset, tokens);
    if (rowStart < 0 || rowEnd > rows || rowStart > rowEnd) {
      throw new IllegalArgumentException("row range [" + rowStart + ", " + rowEnd + ") is outside "
          + name + "'s " + rows + " rows");
    }
    multiplyVectors(xs, xOffset, tokens, outs, outOffset, rowStart, rowEnd, SCRATCH.get());
  }

  /**
   * The batched product for prefill: for each of {@code n} tokens {@code t}, {@code out[t * rows
   * + r] = row_r . x[t * cols ..]}, on the calling thread. Each weight is read from memory once
   * for the whole batch.
   *
   * @param x {@code n × cols} activations, token-major
   * @param out receives {@code n × rows} results, token-major
   * @throws IllegalArgumentException if an array is too short for {@code n} tokens
   */
  public void matmul(float[] x, int n, float[] out) {
    checkArrays(x, 0, out, 0, n);
    multiplyRows(x, 0, n, out, 0, 0, rows, SCRATCH.get());
  }

  /** {@link #matmul(float[], int, float[])} with rows split over {@code pool}. */
  public void matmul(float[] x, int n, float[] out, RowPool pool) {
    checkArrays(x, 0, out, 0, n);
    pool.run(this, x, 0, n, out, 0);
  }

  /**
   * Expands row {@code row} to floats at {@code dst[dstOffset ..]} (embedding lookup).
   *
   * @throws IllegalArgumentException if {@code row} is outside the matrix or {@code dst} too short
   */
  public void dequantizeRow(int row, float[] dst, int dstOffset) {
    if (row < 0 || row >= rows) {
      throw new IllegalArgumentException("row " + row + " is outside " + name + "'s " + rows
          + " rows");
    }
    if (dstOffset < 0 || dst.length - dstOffset < cols) {
      throw new IllegalArgumentException("destination of " + dst.length + " floats at offset "
          + dstOffset + " cannot hold a row of " + cols);
    }
    int p = row / partRows;
    ScalarKernels.dequantizeRow(type, parts[p], (row - p * partRows) * rowBytes, dst, dstOffset, cols);
  }

  /** How many buffers hold the rows (1 unless the matrix exceeds 2 GiB). */
  int partCount() {
    return parts.length;
  }

  void multiplyRows(float[] x, int xOffset, int n, float[] out, int outOffset, int r0, int r1,
      Scratch scratch) {
    if (parts.length == 1) {
      multiplyPart(parts[0], segments[0], x, xOffset, n, out, outOffset, r0, r1, scratch);
      return;
    }
    for (int p = r0 / partRows; p < parts.length && p * (long) partRows < r1; p++) {
      int base = p * partRows;
      int from = Math.max(r0, base) - base;
      int to = Math.min(r1, Math.min(rows, base + partRows)) - base;
      multiplyPart(parts[p], segments[p], x, xOffset, n, out, outOffset + base, from, to, scratch);
    }
  }

  /**
   * Bytes of weights per tile of {@link #multiplyVectors}: a tile is multiplied with every token
   * before the next is read, so it must stay in the L2 cache meanwhile (with the tokens' vectors).
   */
  static final int TILE_BYTES = 64 * 1024;

  /**
   * {@code tokens} matrix-vector products over rows {@code [r0, r1)}. Where a kernel converts each
   * weight once for several tokens ({@link DirectKernels#matvecTokens} for Q4_0, and Q4_K and Q6_K
   * with eight lanes, from the mapping, {@link VectorKernels#matvecTokensQ4_K} and {@link
   * VectorKernels#matvecTokensQ8_0} on the copying kernels) the tokens of {@link #sharedTokens}
   * take it. The rest go tile by tile on the copying kernels, the single-token kernel on each tile
   * for each token in turn; from the mapping, each over the whole range (Q4_K and Q6_K at sixteen
   * lanes 1.0× separate products this way, 0.75–0.77× in tiles). A row's result does not depend
   * on the range it is computed in (the kernels' single-row and four-row bodies apply the same
   * operations, see {@link VectorKernels}; tiles start at multiples of 16 rows from {@code r0} all
   * the same), so each token gets exactly what {@link #matvec} gives it; the weights come from
   * memory once per tile and from the cache for the other tokens.
   */
  void multiplyVectors(float[] x, int xOffset, int tokens, float[] out, int outOffset, int r0, int r1,
      Scratch scratch) {
    if (tokens == 1) {
      multiplyRows(x, xOffset, 1, out, outOffset, r0, r1, scratch);
      return;
    }
    int grouped = sharedTokens(tokens);
    for (int p = r0 / partRows; grouped > 0 && p < parts.length && p * (long) partRows < r1; p++) {
      int base = p * partRows;
      int from = Math.max(r0, base) - base;
      int to = Math.min(r1, Math.min(rows, base + partRows)) - base;
      multiplyPartTokens(p, x, xOffset, grouped, out, outOffset + base, from, to, scratch);
    }
    // The direct kernels prepare x for each call (block sums, a permuted copy), which on a tile's
    // few dozen rows costs more than reading the rows again: each token takes the whole range.
    int tile = segments[0] != null ? r1 - r0 : Math.max(16, TILE_BYTES / rowBytes / 16 * 16);
    for (int r = r0; r < r1; r += tile) {
      int end = Math.min(r1, r + tile);
      for (int t = grouped; t < tokens; t++) {
        multiplyRows(x, xOffset + t * cols, 1, out, outOffset + t * rows, r, end, scratch);
      }
    }
  }

  /**
   * How many of {@code tokens} go through a kernel that converts each weight once for several:
   * all of them for Q8_0 on the copying kernels (pairs, then one), pairs for Q4_0 and (with eight
   * lanes) Q4_K and Q6_K from the mapping, multiples of four for Q4_K copied (a four-token pass
   * with places filled twice cost more than two single passes, so the rest go alone), none
   * otherwise.
   */
  private int sharedTokens(int tokens) {
    if (!VECTOR) {
      return 0;
    }
    if (segments[0] != null) {
      return DirectKernels.supportsTokens(type) ? tokens & ~1 : 0;
    }
    return type == GgmlType.Q8_0 ? tokens : type == GgmlType.Q4_K ? tokens & ~3 : 0;
  }

  /** {@link #sharedTokens} tokens over rows {@code [r0, r1)} of part {@code p}, results at the matrix's stride. */
  private void multiplyPartTokens(int p, float[] x, int xOffset, int tokens, float[] out, int outOffset, int r0,
      int r1, Scratch scratch) {
    if (segments[p] != null && DirectKernels.supportsTokens(type)) {
      DirectKernels.matvecTokens(type, segments[p], rowBytes, cols, x, xOffset, tokens, out, outOffset, rows, r0, r1,
          scratch);
    } else if (segments[p] == null && type == GgmlType.Q4_K) {
      VectorKernels.matvecTokensQ4_K(parts[p], rowBytes, cols, x, xOffset, tokens, out, outOffset, rows, r0, r1,
          scratch);
    } else if (segments[p] == null && type == GgmlType.Q8_0) {
      VectorKernels.matvecTokensQ8_0(parts[p], rowBytes, cols, x, xOffset, tokens, out, outOffset, rows, r0, r1,
          scratch);
    } else {
      for (int t = 0; t < tokens; t++) {
        multiplyPart(parts[p], segments[p], x, xOffset + t * cols, 1, out, outOffset + t * rows, r0, r1, scratch);
      }
    }
  }

  /**
   * Rows {@code [r0, r1)} of one part (row indices relative to it); results at {@code out[outOffset
   * + t · rows + r]}, the whole matrix's stride.
   */
  private void multiplyPart(ByteBuffer data, Object segment, float[] x, int xOffset, int n, float[] out,
      int outOffset, int r0, int r1, Scratch scratch) {
    if (VECTOR) {
      if (n == 1 && segment != null) {
        DirectKernels.matvec(type, segment, rowBytes, cols, x, xOffset, out, outOffset, r0, r1, scratch);
      } else if (n == 1) {
        VectorKernels.matvec(type, data, rowBytes, cols, x, xOffset, out, outOffset, r0, r1, scratch);
      } else {
        VectorKernels.matmul(type, data, rowBytes, cols, rows, x, xOffset, n, out, outOffset, r0, r1,
            scratch);
      }
    } else if (n == 1) {
      ScalarKernels.matvec(type, data, rowBytes, cols, x, xOffset, out, outOffset, r0, r1);
    } else {
      ScalarKernels.matmul(type, data, rowBytes, cols, rows, x, xOffset, n, out, outOffset, r0, r1);
    }
  }

  private void checkArrays(float[] x, int xOffset, float[] out, int outOffset, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a product needs at least one token, got " + n);
    }
    if (xOffset < 0 || (x.length - (long) xOffset) < (long) n * cols) {
      throw new IllegalArgumentException("input of " + x.length + " floats at offset " + xOffset
          + " is too short for " + n + " × " + cols + " (" + name + ")");
    }
    if (outOffset < 0 || (out.length - (long) outOffset) < (long) n * rows) {
      throw new IllegalArgumentException("output of " + out.length + " floats at offset " + outOffset
          + " is too short for " + n + " × " + rows + " (" + name + ")");
    }
  }

  @Override
  public String toString() {
    return "WeightMatrix[" + name + ", " + type + ", " + rows + "×" + cols + "]";
  }

  private static boolean vectorAvailable() {
    if (!Boolean.parseBoolean(System.getProperty("banter.vector", "true"))) {
      LOG.fine("Vector API kernels disabled by -Dbanter.vector=false");
      return false;
    }
    try {
      Class.forName("jdk.incubator.vector.FloatVector");
    } catch (ClassNotFoundException | LinkageError e) {
      LOG.fine("jdk.incubator.vector is absent (add --add-modules jdk.incubator.vector); using scalar kernels");
      return false;
    }
    try {
      boolean usable = VectorKernels.usable();
      if (!usable) {
        LOG.fine("the vector unit is narrower than 128 bits or big-endian; using scalar kernels");
      }
      return usable;
    } catch (LinkageError e) {
      LOG.fine("Vector API kernels unavailable (" + e + "); using scalar kernels");
      return false;
    }
  }
}

package dev.banter.local.gguf;

import dev.banter.local.tensor.GgmlType;
import dev.banter.local.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures, not asserts: opening a 1 GiB GGUF written by {@link GgufWriter} in a temporary
 * directory (metadata, tensor infos, first touch of a mapped tensor), and loading the Grok-1
 * vocabulary. Run from {@code providers/local} after {@code ./mvnw -o -pl providers/local test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/dev/banter/banter-api/0.1.0-SNAPSHOT/banter-api-0.1.0-SNAPSHOT.jar \
 *     dev.banter.local.gguf.GgufOpenBenchmark
 * </pre>
 */
public final class GgufOpenBenchmark {
  private GgufOpenBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("gguf-bench");
    Path big = dir.resolve("1gib.gguf");
    try {
      long t0 = System.nanoTime();
      GgufWriter w = GgufWriter.create();
      try (GgufFile vocab = GgufFile.open(GgufWriterRoundTripTest.fixture("tokenizer/ggml-vocab-llama-spm.gguf"))) {
        w.putAll(vocab.metadata());
      }
      w.putUint32("llama.block_count", 8);
      long rows = 16384;
      long cols = 2048;
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) 1);
      for (int i = 0; i < 32; i++) {
        long size = GgmlType.Q8_0.byteSize(rows * cols);
        w.addTensor("blk." + i + ".weight", GgmlType.Q8_0, new long[] {cols, rows}, out -> {
          for (long left = size; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
          }
        });
      }
      w.write(big);
      long written = System.nanoTime();
      System.out.printf("wrote %s: %.2f GiB in %.0f ms%n", big.getFileName(), Files.size(big) / (double) (1L << 30),
          (written - t0) / 1e6);

      for (int run = 0; run < 5; run++) {
        long a = System.nanoTime();
        try (GgufFile f = GgufFile.open(big)) {
          long opened = System.nanoTime();
          int blocks = f.metadata().blockCount().getAsInt();
          List<String> names = new ArrayList<>();
          for (GgufTensor t : f.tensors()) {
            names.add(t.name());
          }
          ByteBuffer last = f.tensor("blk.31.weight").data();
          byte sample = last.get(last.limit() - 1);
          long touched = System.nanoTime();
          System.out.printf("run %d: open + metadata (%d keys, %d tensors, %d blocks) %.1f ms; map + touch last tensor %.2f ms (byte %d)%n",
              run, f.metadata().keys().size(), names.size(), blocks, (opened - a) / 1e6, (touched - opened) / 1e6, sample);
        }
      }

      for (int run = 0; run < 3; run++) {
        long a = System.nanoTime();
        Tokenizer tok;
        try (GgufFile f = GgufFile.open(GgufWriterRoundTripTest.fixture("tokenizer/ggml-vocab-grok-1.gguf"))) {
          tok = Tokenizer.from(f);
        }
        long loaded = System.nanoTime();
        StringBuilder text = new StringBuilder();
        while (text.length() < 4096) {
          text.append("The quick brown fox, née Renard, jumps over 13 lazy dogs — «très» drôle! 🦊\n");
        }
        int[] ids = tok.encode(text.toString(), true, false);
        long encoded = System.nanoTime();
        System.out.printf("grok-1 vocabulary (%d tokens): open + load %.0f ms; encode %d chars -> %d tokens %.1f ms%n",
            tok.vocabSize(), (loaded - a) / 1e6, text.length(), ids.length, (encoded - loaded) / 1e6);
      }
    } finally {
      Files.deleteIfExists(big);
      Files.deleteIfExists(dir);
    }
  }
}

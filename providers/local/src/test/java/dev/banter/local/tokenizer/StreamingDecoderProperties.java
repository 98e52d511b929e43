package dev.banter.local.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The streaming decoder's output, whatever the tokens and however they are split, concatenates to
 * the decode of all their bytes at once (ill-formed UTF-8 included: each maximal ill-formed
 * subpart is one U+FFFD, the Unicode recommendation; the JDK's own decoder differs for encoded
 * surrogates).
 */
class StreamingDecoderProperties {
  @Provide
  Arbitrary<List<Integer>> spmTokens() {
    // Byte tokens (3..258) make split and ill-formed UTF-8 likely; the rest are ordinary pieces.
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(3, 258)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 31999))).list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<Integer>> bpeTokens() {
    return Arbitraries.integers().between(0, 102399).list().ofMaxSize(30);
  }

  private static String stream(Tokenizer tok, List<Integer> ids, boolean special) {
    StreamingDecoder d = tok.newStreamingDecoder(special);
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      sb.append(d.append(id));
    }
    return sb.append(d.finish()).toString();
  }

  private static byte[] pieces(Tokenizer tok, List<Integer> ids, boolean special) {
    ByteList all = new ByteList(64);
    for (int id : ids) {
      all.add(tok.piece(id, special));
    }
    return all.toArray();
  }

  @Property(tries = 500)
  void spm_stream_equals_the_decoded_concatenation_of_pieces(@ForAll("spmTokens") List<Integer> ids, @ForAll boolean special) {
    Tokenizer tok = Fixtures.vocab("llama-spm");
    assertEquals(whole(pieces(tok, ids, special)), stream(tok, ids, special));
  }

  @Property(tries = 500)
  void bpe_stream_equals_the_full_decode(@ForAll("bpeTokens") List<Integer> ids, @ForAll boolean special) {
    Tokenizer tok = Fixtures.vocab("deepseek-llm");
    int[] a = ids.stream().mapToInt(Integer::intValue).toArray();
    assertEquals(tok.decode(a, false, special), stream(tok, ids, special));
    assertEquals(whole(pieces(tok, ids, special)), stream(tok, ids, special));
  }

  @Property(tries = 300)
  void any_split_of_the_bytes_gives_the_same_text(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 255) Integer> bytes,
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 40) Integer> cuts) {
    byte[] b = new byte[bytes.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (int) bytes.get(i);
    }
    ByteList pending = new ByteList(8);
    StringBuilder streamed = new StringBuilder();
    int[] sorted = cuts.stream().mapToInt(c -> Math.min(c, b.length)).sorted().toArray();
    int from = 0;
    for (int cut : sortedWithEnd(sorted, b.length)) {
      pending.add(b, from, cut - from);
      from = cut;
      int keep = Utf8.incompleteTail(pending.array(), pending.size());
      Utf8.decode(pending.array(), 0, pending.size() - keep, streamed);
      pending.removeFirst(pending.size() - keep);
    }
    Utf8.decode(pending.array(), 0, pending.size(), streamed);
    assertEquals(whole(b), streamed.toString());
  }

  @Property(tries = 300)
  void well_formed_text_decodes_as_the_jdk_decodes_it(@ForAll String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    assertEquals(new String(b, StandardCharsets.UTF_8), whole(b));
  }

  private static String whole(byte[] b) {
    StringBuilder sb = new StringBuilder();
    Utf8.decode(b, 0, b.length, sb);
    return sb.toString();
  }

  private static int[] sortedWithEnd(int[] cuts, int end) {
    int[] out = java.util.Arrays.copyOf(cuts, cuts.length + 1);
    out[cuts.length] = end;
    return out;
  }
}

package dev.banter.local.tokenizer;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.gguf.GgufMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The tokenizer of a GGUF model, producing exactly the tokens llama.cpp produces: SentencePiece
 * style ({@code tokenizer.ggml.model = llama}: Llama 2, Phi-3, Grok-1, TinyLlama ...) and
 * byte-level BPE ({@code gpt2}, with the pre-tokenizer named by {@code tokenizer.ggml.pre}: GPT-2,
 * Llama 3, Qwen2, DeepSeek, Falcon, StarCoder and the others llama.cpp knows). Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Tokenizer tok = Tokenizer.from(gguf);
 * int[] ids = tok.encode("<|im_start|>user\nHi!<|im_end|>", true, true);
 * String text = tok.decode(ids);
 * StreamingDecoder out = tok.newStreamingDecoder(false);
 * for (int id : generated) System.out.print(out.append(id));
 * }</pre>
 *
 * <p><b>Special tokens.</b> Control tokens (such as {@code <|im_start|>}) are recognised in text
 * only when {@code parseSpecial} is true; user-defined tokens are always recognised, as in
 * llama.cpp. With {@code addSpecial} the BOS / EOS tokens are added when the vocabulary's
 * {@code add_bos_token} / {@code add_eos_token} say so.
 *
 * <p><b>Where encoding then decoding does not give the text back.</b> {@link #decode(int[])} is
 * llama.cpp's detokenizer, so for {@code s} without special-token text:
 * <ul>
 *   <li>SentencePiece: {@code decode(encode(s, false, false))} equals {@code s} with every
 *       U+2581 ("▁", the vocabulary's space) turned into a space, provided {@code s} contains no
 *       user-defined token (such as Grok-1's newline runs or Phi-3's {@code </s>}): text that
 *       follows a special token gets the space prefix too, as in llama.cpp;
 *   <li>BPE whose vocabulary asks for clean-up (GPT-2, Falcon, StarCoder, Llama 3 ...): equals
 *       {@link #cleanUpSpaces(String)} of {@code s} (" ." becomes "."); otherwise (Qwen2,
 *       DeepSeek) equals {@code s};
 *   <li>a byte whose byte-level symbol has no token is dropped, as in llama.cpp (Falcon's
 *       vocabulary cannot spell some control characters);
 *   <li>unpaired surrogates in a Java string cannot be encoded as UTF-8 and become {@code ?}.
 * </ul>
 */
public final class Tokenizer {
  private static final byte[] SPACE_ESCAPE = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};

  private final Vocab vocab;
  private volatile Map<String, Integer> controlTokens;
  private final SpmEncoder spm;
  private final BpeEncoder bpe;

  private Tokenizer(Vocab vocab) {
    this.vocab = vocab;
    this.spm = vocab.kind == Vocab.Kind.SPM ? new SpmEncoder(vocab) : null;
    this.bpe = vocab.kind == Vocab.Kind.BPE ? new BpeEncoder(vocab) : null;
  }

  /**
   * The tokenizer described by a GGUF file's metadata.
   *
   * @throws ModelLoadException if the file has no vocabulary or an unsupported tokenizer
   */
  public static Tokenizer from(GgufFile file) {
    return from(Objects.requireNonNull(file, "file").metadata());
  }

  /**
   * The tokenizer described by GGUF metadata (the {@code tokenizer.ggml.*} keys, and
   * {@code general.name} which selects some llama.cpp per-model rules).
   *
   * @throws ModelLoadException if the metadata has no vocabulary or an unsupported tokenizer
   */
  public static Tokenizer from(GgufMetadata metadata) {
    return new Tokenizer(new Vocab(Objects.requireNonNull(metadata, "metadata")));
  }

  // ---- encoding

  /**
   * Token ids of {@code text}.
   *
   * @param addSpecial add BOS / EOS as the vocabulary's {@code add_bos_token} / {@code add_eos_token} say
   * @param parseSpecial recognise control tokens (such as {@code <|im_start|>}) written in the text
   */
  public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
    return encode(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8), addSpecial, parseSpecial);
  }

  /** Token ids of UTF-8 bytes, exactly as llama.cpp's {@code llama_tokenize} treats them (also ill-formed ones). */
  public int[] encode(byte[] utf8, boolean addSpecial, boolean parseSpecial) {
    Objects.requireNonNull(utf8, "utf8");
    List<Fragment> fragments = utf8.length == 0 ? new ArrayList<>() : partition(utf8, parseSpecial);
    IntList out = new IntList(utf8.length / 3 + 4);
    if (addSpecial && vocab.addBos && vocab.bos >= 0) {
      out.add(vocab.bos);
    }
    if (spm != null) {
      boolean previousSpecial = true;
      for (Fragment f : fragments) {
        if (f.token() >= 0) {
          out.add(f.token());
          previousSpecial = true;
          continue;
        }
        ByteList text = new ByteList(f.length() + 8);
        if (vocab.addSpacePrefix && previousSpecial) {
          text.add(SPACE_ESCAPE);
        }
        for (int i = f.start(); i < f.start() + f.length(); i++) {
          if (utf8[i] == ' ') {
            text.add(SPACE_ESCAPE);
          } else {
            text.add(utf8[i]);
          }
        }
        spm.encode(text.toArray(), out);
        previousSpecial = false;
      }
    } else {
      for (Fragment f : fragments) {
        if (f.token() >= 0) {
          out.add(f.token());
        } else {
          bpe.encode(java.util.Arrays.copyOfRange(utf8, f.start(), f.start() + f.length()), out);
        }
      }
    }
    if (addSpecial && vocab.addEos && vocab.eos >= 0) {
      out.add(vocab.eos);
    }
    return out.toArray();
  }

  /** A piece of the input: raw text {@code [start, start + length)}, or a special token. */
  private record Fragment(int token, int start, int length) {}

  /**
   * Splits the text at special tokens, longest first, as llama.cpp's tokenizer_st_partition:
   * each special token in turn is searched in every fragment still raw, left to right.
   */
  private List<Fragment> partition(byte[] text, boolean parseSpecial) {
    List<Fragment> fragments = new ArrayList<>();
    fragments.add(new Fragment(-1, 0, text.length));
    boolean[] present = new boolean[256];
    for (byte b : text) {
      present[b & 0xFF] = true;
    }
    for (int id : vocab.specials) {
      int attr = vocab.attrs[id];
      if (!parseSpecial && (attr & (Vocab.ATTR_CONTROL | Vocab.ATTR_UNKNOWN)) != 0) {
        continue;
      }
      byte[] special = vocab.textBytes(id);
      if (special.length == 0 || !present[special[0] & 0xFF] || special.length > text.length) {
        continue;
      }
      List<Fragment> next = null;
      for (int k = 0; k < fragments.size(); k++) {
        Fragment f = fragments.get(k);
        int at = f.token() >= 0 ? -1 : indexOf(text, f.start(), f.start() + f.length(), special);
        if (at < 0) {
          if (next != null) {
            next.add(f);
          }
          continue;
        }
        if (next == null) {
          next = new ArrayList<>(fragments.subList(0, k));
        }
        int from = f.start();
        int end = f.start() + f.length();
        while (at >= 0) {
          int leftEnd = at;
          if ((attr & Vocab.ATTR_LSTRIP) != 0) {
            while (leftEnd > from && isSpace(text[leftEnd - 1])) {
              leftEnd--;
            }
          }
          if (leftEnd > from) {
            next.add(new Fragment(-1, from, leftEnd - from));
          }
          next.add(new Fragment(id, 0, 0));
          from = at + special.length;
          if ((attr & Vocab.ATTR_RSTRIP) != 0) {
            while (from < end && isSpace(text[from])) {
              from++;
            }
          }
          at = indexOf(text, from, end, special);
        }
        if (from < end) {
          next.add(new Fragment(-1, from, end - from));
        }
      }
      if (next != null) {
        fragments = next;
      }
    }
    return fragments;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r');
  }

  private static int indexOf(byte[] text, int from, int to, byte[] pattern) {
    int last = to - pattern.length;
    byte first = pattern[0];
    outer:
    for (int i = from; i <= last; i++) {
      if (text[i] != first) {
        continue;
      }
      for (int j = 1; j < pattern.length; j++) {
        if (text[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---- decoding

  /**
   * The text of {@code tokens} as llama.cpp's {@code llama_detokenize(tokens, false, false)}
   * gives it: control tokens omitted, the leading space of a SentencePiece text removed, spaces
   * cleaned up when the vocabulary asks for it. Ill-formed UTF-8 becomes U+FFFD.
   *
   * @throws IllegalArgumentException if an id is outside the vocabulary
   */
  public String decode(int[] tokens) {
    return decode(tokens, false, false);
  }

  /**
   * As {@link #decode(int[])} with llama.cpp's flags: {@code removeSpecial} drops a leading BOS
   * and a trailing EOS the vocabulary adds; {@code unparseSpecial} renders control tokens as text.
   */
  public String decode(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
    byte[] b = decodeBytes(tokens, removeSpecial, unparseSpecial);
    StringBuilder sb = new StringBuilder(b.length);
    Utf8.decode(b, 0, b.length, sb);
    return sb.toString();
  }

  /** The bytes {@link #decode(int[], boolean, boolean)} decodes. */
  public byte[] decodeBytes(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
    Objects.requireNonNull(tokens, "tokens");
    int from = 0;
    int to = tokens.length;
    boolean removeSpace = vocab.addSpacePrefix;
    if (removeSpecial && vocab.addBos && to > 0 && tokens[0] == vocab.bos) {
      removeSpace = false;
      from++;
    }
    if (removeSpecial && vocab.addEos && to > from && tokens[to - 1] == vocab.eos) {
      to--;
    }
    ByteList out = new ByteList(tokens.length * 4);
    for (int i = from; i < to; i++) {
      byte[] p = piece(tokens[i], unparseSpecial);
      int skip = removeSpace && p.length > 0 && p[0] == ' ' ? 1 : 0;
      out.add(p, skip, p.length - skip);
      removeSpace = false;
    }
    byte[] b = out.toArray();
    return vocab.cleanSpaces ? cleanUp(b) : b;
  }

  /**
   * The clean-up llama.cpp applies to decoded text of vocabularies that ask for it: no space before
   * {@code ? ! . ,}, none around a lone apostrophe, none before {@code 's 'm 're 've}.
   */
  public static String cleanUpSpaces(String text) {
    byte[] b = cleanUp(text.getBytes(StandardCharsets.UTF_8));
    StringBuilder sb = new StringBuilder(b.length);
    Utf8.decode(b, 0, b.length, sb);
    return sb.toString();
  }

  static byte[] cleanUp(byte[] in) {
    byte[] t = in.clone();
    int total = t.length;
    int n1 = total;
    total = total > 0 ? 1 : 0;
    for (int i = 1; i < n1; i++) {
      byte x = t[i];
      if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
        total--;
      }
      t[total++] = x;
    }
    int n2 = total;
    total = total > 0 ? 1 : 0;
    for (int i = 1; i < n2; i++) {
      byte x = t[i];
      if (x == '\'' && i + 1 < n2 && t[i - 1] == ' ' && t[i + 1] == ' ') {
        total--;
        t[++i] = 0;
      }
      t[total++] = x;
    }
    int n3 = total;
    total = total > 0 ? 1 : 0;
    for (int i = 1; i < n3; i++) {
      byte x = t[i];
      if (t[i - 1] == ' ' && x == '\'' && i + 1 < n3) {
        byte x1 = t[i + 1];
        if (x1 == 's' || x1 == 'm') {
          total--;
        } else if (x1 != 't' && x1 != 'd' && i + 2 < n3) {
          byte x2 = t[i + 2];
          if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) {
            total--;
          }
        }
      }
      t[total++] = x;
    }
    return java.util.Arrays.copyOf(t, total);
  }

  /**
   * The bytes of one token as llama.cpp's {@code token_to_piece(special)} gives them: byte tokens
   * as their byte, {@code ▁} as a space, byte-level BPE text back to bytes; control and unknown
   * tokens are empty unless {@code renderSpecial}.
   */
  public byte[] piece(int token, boolean renderSpecial) {
    checkId(token);
    if (!renderSpecial && (vocab.attrs[token] & (Vocab.ATTR_CONTROL | Vocab.ATTR_UNKNOWN)) != 0) {
      return new byte[0];
    }
    return vocab.pieces[token].clone();
  }

  /**
   * The bytes a token contributes to generated text, for matching it against a grammar: its piece
   * (byte-fallback tokens such as {@code <0xE2>} as their one byte, {@code ▁} as a space), and
   * nothing for control, unknown and unused tokens, which never stand for text.
   */
  public byte[] textBytes(int token) {
    checkId(token);
    if ((vocab.attrs[token] & (Vocab.ATTR_CONTROL | Vocab.ATTR_UNKNOWN | Vocab.ATTR_UNUSED)) != 0) {
      return new byte[0];
    }
    return vocab.pieces[token].clone();
  }

  /** {@link #piece(int, boolean)} with special tokens rendered as their text. */
  public byte[] tokenBytes(int token) {
    return piece(token, true);
  }

  /** The vocabulary entry of {@code token} as stored (e.g. {@code ▁Hello}, {@code ĠHello}, {@code <0x0A>}). */
  public String tokenText(int token) {
    checkId(token);
    return new String(vocab.texts[token].getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** A decoder for tokens arriving one at a time; see {@link StreamingDecoder}. */
  public StreamingDecoder newStreamingDecoder(boolean renderSpecial) {
    return new StreamingDecoder(this, renderSpecial);
  }

  private void checkId(int token) {
    if (token < 0 || token >= vocab.size()) {
      throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + vocab.size() + ")");
    }
  }

  // ---- vocabulary facts

  public int vocabSize() {
    return vocab.size();
  }

  /** {@code tokenizer.ggml.model}: {@code llama} or {@code gpt2}. */
  public String model() {
    return vocab.model;
  }

  /** {@code tokenizer.ggml.pre}, empty when absent. */
  public String pre() {
    return vocab.pre;
  }

  public OptionalInt bos() {
    return vocab.bos >= 0 ? OptionalInt.of(vocab.bos) : OptionalInt.empty();
  }

  public OptionalInt eos() {
    return vocab.eos >= 0 ? OptionalInt.of(vocab.eos) : OptionalInt.empty();
  }

  /** The end-of-turn token ({@code <|eot_id|>}, {@code <|im_end|>} ...) when the vocabulary has one. */
  public OptionalInt eot() {
    return vocab.eot >= 0 ? OptionalInt.of(vocab.eot) : OptionalInt.empty();
  }

  /** Whether encoding with {@code addSpecial} starts with BOS. */
  public boolean addsBos() {
    return vocab.addBos && vocab.bos >= 0;
  }

  /** Whether encoding with {@code addSpecial} ends with EOS. */
  public boolean addsEos() {
    return vocab.addEos && vocab.eos >= 0;
  }

  /** Whether generation stops at {@code token}: EOS, end-of-turn and the others llama.cpp lists. */
  public boolean isEog(int token) {
    return token >= 0 && vocab.eog.get(token);
  }

  /**
   * The control tokens by their text ({@code [TOOL_CALLS]}, {@code <|call|>}; end-of-generation
   * tokens included), for grammars that must name them. Unmodifiable.
   */
  public Map<String, Integer> controlTokens() {
    Map<String, Integer> map = controlTokens;
    if (map == null) {
      Map<String, Integer> m = new HashMap<>();
      for (int id = 0; id < vocab.size(); id++) {
        if ((vocab.attrs[id] & Vocab.ATTR_CONTROL) != 0) {
          String text = new String(vocab.pieces[id], StandardCharsets.UTF_8);
          if (!text.isEmpty()) {
            m.putIfAbsent(text, id);
          }
        }
      }
      map = controlTokens = Map.copyOf(m);
    }
    return map;
  }

  /** Whether {@code token} is a control token (hidden when decoding unless asked). */
  public boolean isControl(int token) {
    checkId(token);
    return (vocab.attrs[token] & Vocab.ATTR_CONTROL) != 0;
  }

  @Override
  public String toString() {
    return "Tokenizer[" + vocab.model + (vocab.pre.isEmpty() ? "" : "/" + vocab.pre) + ", " + vocab.size()
        + " tokens, " + vocab.source + "]";
  }
}

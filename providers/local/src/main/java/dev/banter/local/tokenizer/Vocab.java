package dev.banter.local.tokenizer;

import dev.banter.api.ModelLoadException;
import dev.banter.local.gguf.GgufMetadata;
import dev.banter.local.gguf.GgufValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A vocabulary as llama.cpp's {@code llama_vocab} loads it from GGUF metadata: token texts,
 * scores and attributes, the special ids with llama.cpp's defaults, the end-of-generation set,
 * the list of special tokens matched in text, and each token's decoded bytes.
 *
 * <p>Token texts are held as ISO-8859-1 strings, one char per byte, so that lookups compare the
 * exact bytes of the file whatever their encoding.
 */
final class Vocab {
  private static final Logger LOG = Logger.getLogger(Vocab.class.getName());

  static final int ATTR_UNKNOWN = 1;
  static final int ATTR_UNUSED = 2;
  static final int ATTR_NORMAL = 4;
  static final int ATTR_CONTROL = 8;
  static final int ATTR_USER_DEFINED = 16;
  static final int ATTR_BYTE = 32;
  static final int ATTR_LSTRIP = 128;
  static final int ATTR_RSTRIP = 256;

  enum Kind { SPM, BPE }

  final String source;
  final Kind kind;
  final String model;
  final String pre;
  final PreType preType;
  final String[] texts;
  final float[] scores;
  final int[] attrs;
  final Map<String, Integer> ids;
  final int bos;
  final int eos;
  final int eot;
  final int eom;
  final int unk;
  final int pad;
  final boolean addBos;
  final boolean addEos;
  final boolean addSpacePrefix;
  final boolean ignoreMerges;
  final boolean cleanSpaces;
  final BitSet eog = new BitSet();
  /** Control, user-defined and unknown tokens, longest text first: the ones matched in raw text. */
  final int[] specials;
  /** Each token's bytes as llama.cpp's token_to_piece(special = true) gives them. */
  final byte[][] pieces;
  /** BPE merge ranks by {@link #mergeKey}. */
  final Map<String, Integer> ranks;

  Vocab(GgufMetadata md) {
    this.source = md.source();
    this.model = md.tokenizerModel().orElseThrow(() -> md.invalid("tokenizer.ggml.model",
        "is missing; this file has no tokenizer (a vocabulary-only or full model GGUF is needed)"));
    this.pre = md.tokenizerPre().orElse("");
    boolean spaceDefault;
    boolean bosDefault;
    boolean clean;
    boolean ignore = false;
    int defBos;
    int defEos;
    int defUnk;
    PreType type = PreType.DEFAULT;
    boolean noBos = false;
    if (model.equals("llama")) {
      kind = Kind.SPM;
      spaceDefault = true;
      bosDefault = true;
      clean = false;
      defBos = 1;
      defEos = 2;
      defUnk = 0;
    } else if (model.equals("gpt2")) {
      kind = Kind.BPE;
      spaceDefault = false;
      bosDefault = false;
      PreType.Settings s = PreType.of(pre);
      if (s == null) {
        if (PreType.unsupported(pre)) {
          throw md.invalid("tokenizer.ggml.pre", "= '" + pre + "' names a pre-tokenizer this engine does not "
              + "implement; use a model with another tokenizer");
        }
        LOG.warning(source + ": unknown pre-tokenizer '" + pre + "', using 'default' as llama.cpp does");
        s = PreType.fallback();
      }
      type = s.type();
      clean = s.cleanSpaces();
      ignore = s.ignoreMerges();
      bosDefault = s.addBos();
      noBos = s.noBos();
      defBos = 11;
      defEos = 11;
      defUnk = -1;
    } else {
      throw md.invalid("tokenizer.ggml.model", "= '" + model + "' is not supported; supported tokenizers "
          + "are 'llama' (SentencePiece) and 'gpt2' (byte-level BPE)");
    }
    this.preType = type;
    this.cleanSpaces = clean;
    this.ignoreMerges = ignore;
    this.addSpacePrefix = md.addSpacePrefix().orElse(spaceDefault);

    GgufValue tokens = md.tokenizerTokens().orElseThrow(() -> md.invalid("tokenizer.ggml.tokens",
        "is missing; the file has no vocabulary"));
    int n = tokens.size();
    if (n == 0) {
      throw md.invalid("tokenizer.ggml.tokens", "is empty; the file has no vocabulary");
    }
    float[] sc = md.tokenizerScores().orElse(null);
    int[] types = md.tokenizerTokenTypes().orElse(null);
    if (sc != null && sc.length != n) {
      throw md.invalid("tokenizer.ggml.scores", "has " + sc.length + " entries for " + n + " tokens");
    }
    if (types != null && types.length != n) {
      throw md.invalid("tokenizer.ggml.token_type", "has " + types.length + " entries for " + n + " tokens");
    }
    this.scores = sc != null ? sc : new float[n];
    this.texts = new String[n];
    this.attrs = new int[n];
    this.ids = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      byte[] b = tokens.stringBytesAt(i);
      String t = b.length == 0 ? "[EMPTY_" + i + "]" : new String(b, StandardCharsets.ISO_8859_1);
      texts[i] = t;
      ids.put(t, i);
      attrs[i] = types == null ? ATTR_NORMAL : attrOfType(types[i]);
    }

    this.unk = specialId(md, "tokenizer.ggml.unknown_token_id", defUnk, n);
    int b = specialId(md, "tokenizer.ggml.bos_token_id", noBos ? -1 : defBos, n);
    int e = specialId(md, "tokenizer.ggml.eos_token_id", defEos, n);
    int t = specialId(md, "tokenizer.ggml.eot_token_id", -1, n);
    int m = specialId(md, "tokenizer.ggml.eom_token_id", -1, n);
    this.pad = specialId(md, "tokenizer.ggml.padding_token_id", -1, n);
    int fimPre = specialId(md, "tokenizer.ggml.fim_pre_token_id", specialId(md, "tokenizer.ggml.prefix_token_id", -1, n), n);
    int fimSuf = specialId(md, "tokenizer.ggml.fim_suf_token_id", specialId(md, "tokenizer.ggml.suffix_token_id", -1, n), n);
    int fimMid = specialId(md, "tokenizer.ggml.fim_mid_token_id", specialId(md, "tokenizer.ggml.middle_token_id", -1, n), n);
    int fimPad = specialId(md, "tokenizer.ggml.fim_pad_token_id", -1, n);
    int fimRep = specialId(md, "tokenizer.ggml.fim_rep_token_id", -1, n);
    int fimSep = specialId(md, "tokenizer.ggml.fim_sep_token_id", -1, n);
    this.addBos = md.addBosToken().orElse(bosDefault);
    this.addEos = md.addEosToken().orElse(false);

    // llama.cpp recognises end-of-turn and fill-in-the-middle tokens by their text when the
    // metadata does not name them, and forces the ones it recognises to be control tokens.
    IntList recognised = new IntList(8);
    if (t < 0) {
      t = firstPresent(recognised, "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
          "<|end_of_text|>", "<EOT>", "_<EOT>", "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "<end_of_utterance>");
    }
    if (m < 0) {
      m = firstPresent(recognised, "<|eom_id|>");
    }
    if (fimPre < 0) {
      firstPresent(recognised, "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\uFF5Cfim\u2581begin\uFF5C>",
          "<PRE>", "\u2581<PRE>", "<|code_prefix|>");
    }
    if (fimSuf < 0) {
      firstPresent(recognised, "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\uFF5Cfim\u2581hole\uFF5C>",
          "<SUF>", "\u2581<SUF>", "<|code_suffix|>");
    }
    if (fimMid < 0) {
      firstPresent(recognised, "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\uFF5Cfim\u2581end\uFF5C>",
          "<MID>", "\u2581<MID>", "<|code_middle|>");
    }
    if (fimPad < 0) {
      fimPad = firstPresent(recognised, "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>");
    }
    if (fimRep < 0) {
      fimRep = firstPresent(recognised, "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>");
    }
    if (fimSep < 0) {
      fimSep = firstPresent(recognised, "<|file_sep|>");
    }
    for (int i = 0; i < recognised.size(); i++) {
      int id = recognised.get(i);
      if ((attrs[id] & ATTR_CONTROL) == 0) {
        attrs[id] = ATTR_CONTROL;
      }
    }
    for (int id : new int[] {fimPad, fimRep, fimSep}) {
      if (id >= 0) {
        eog.set(id);
      }
    }
    for (String text : new String[] {"<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
        "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>"}) {
      Integer id = ids.get(utf8Key(text));
      if (id != null) {
        eog.set(id);
        attrs[id] = (attrs[id] & ATTR_CONTROL) != 0 ? attrs[id] : ATTR_CONTROL;
      }
    }
    for (String text : new String[] {"<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"}) {
      Integer id = ids.get(utf8Key(text));
      if (id != null) {
        attrs[id] = ATTR_USER_DEFINED;
      }
    }
    for (int id : new int[] {e, t, m}) {
      if (id >= 0) {
        eog.set(id);
      }
    }
    Integer ret = ids.get(utf8Key("<|return|>"));
    Integer call = ids.get(utf8Key("<|call|>"));
    Integer end = ids.get(utf8Key("<|end|>"));
    if (ret != null && call != null && end != null && eog.get(ret) && eog.get(call) && eog.get(end)) {
      eog.clear(end);
      attrs[end] = ATTR_USER_DEFINED;
    }
    this.bos = b;
    this.eos = e;
    this.eot = t;
    this.eom = m;

    List<Integer> special = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if ((attrs[i] & (ATTR_CONTROL | ATTR_USER_DEFINED | ATTR_UNKNOWN)) != 0) {
        special.add(i);
      }
    }
    special.sort((x, y) -> texts[y].length() != texts[x].length()
        ? Integer.compare(texts[y].length(), texts[x].length()) : Integer.compare(x, y));
    this.specials = new int[special.size()];
    for (int i = 0; i < specials.length; i++) {
      specials[i] = special.get(i);
    }

    this.ranks = kind == Kind.BPE ? loadMerges(md) : new HashMap<>();
    this.pieces = new byte[n][];
    for (int i = 0; i < n; i++) {
      pieces[i] = renderPiece(i);
    }
    applyStripAttributes(md);
  }

  private static int attrOfType(int type) {
    return switch (type) {
      case 1 -> ATTR_NORMAL;
      case 2 -> ATTR_UNKNOWN;
      case 3 -> ATTR_CONTROL;
      case 4 -> ATTR_USER_DEFINED;
      case 5 -> ATTR_UNUSED;
      case 6 -> ATTR_BYTE;
      default -> 0;
    };
  }

  /** The id under {@code key}, or {@code def}; an id outside the vocabulary is ignored as llama.cpp does. */
  private int specialId(GgufMetadata md, String key, int def, int n) {
    Optional<GgufValue> v = md.get(key);
    if (v.isPresent()) {
      if (v.get().type().isInteger()) {
        long id = v.get().asLong() & 0xFFFF_FFFFL;
        if (id < n) {
          return (int) id;
        }
      }
      LOG.warning(source + ": bad special token " + key + " = " + v.get() + ", using the default " + def);
    }
    return def < n ? def : -1;
  }

  private int firstPresent(IntList found, String... candidates) {
    for (String c : candidates) {
      Integer id = ids.get(utf8Key(c));
      if (id != null) {
        found.add(id);
        return id;
      }
    }
    return -1;
  }

  /** The lookup key of a Java string: its UTF-8 bytes, one char per byte. */
  static String utf8Key(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  static String mergeKey(String left, String right) {
    return left + '\u0100' + right;
  }

  private Map<String, Integer> loadMerges(GgufMetadata md) {
    GgufValue merges = md.tokenizerMerges().orElseThrow(() -> md.invalid("tokenizer.ggml.merges",
        "is missing; a 'gpt2' tokenizer needs its BPE merges"));
    Map<String, Integer> r = new HashMap<>(merges.size() * 2);
    for (int i = 0; i < merges.size(); i++) {
      String w = new String(merges.stringBytesAt(i), StandardCharsets.ISO_8859_1);
      int space = w.indexOf(' ', 1);
      String key = space < 0 ? mergeKey("", "") : mergeKey(w.substring(0, space), w.substring(space + 1));
      r.putIfAbsent(key, i);
    }
    return r;
  }

  /** llama.cpp's token_to_piece(special = true), without the leading-space strip. */
  private byte[] renderPiece(int id) {
    int a = attrs[id];
    String text = texts[id];
    if ((a & (ATTR_UNKNOWN | ATTR_CONTROL | ATTR_USER_DEFINED)) != 0) {
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }
    if (kind == Kind.SPM) {
      if ((a & ATTR_NORMAL) != 0) {
        return text.replace("\u00E2\u0096\u0081", " ").getBytes(StandardCharsets.ISO_8859_1);
      }
      if ((a & ATTR_BYTE) != 0) {
        return new byte[] {(byte) hexByte(text)};
      }
      return new byte[0];
    }
    if ((a & ATTR_NORMAL) != 0) {
      return ByteLevel.decode(text.getBytes(StandardCharsets.ISO_8859_1));
    }
    return new byte[0];
  }

  /** The byte of a {@code <0xNN>} token: up to two hex digits from the fourth character, as strtol reads them. */
  private static int hexByte(String text) {
    int v = 0;
    for (int i = 3; i < Math.min(5, text.length()); i++) {
      int d = Character.digit(text.charAt(i), 16);
      if (d < 0) {
        break;
      }
      v = v * 16 + d;
    }
    return v & 0xFF;
  }

  /** llama.cpp marks some special tokens of some models to swallow the spaces around them. */
  private void applyStripAttributes(GgufMetadata md) {
    String name = md.name().orElse("").toLowerCase(Locale.ROOT);
    String arch = md.architecture().orElse("");
    if (pre.contains("jina-v2-de") || pre.contains("jina-v2-es") || pre.contains("jina-v2-code")
        || arch.contains("nomic-bert-moe") || arch.contains("jina-bert-v3")) {
      Integer mask = ids.get("<mask>");
      if (mask != null) {
        attrs[mask] |= ATTR_LSTRIP;
      }
    } else if (name.contains("phi-3") || name.contains("phi3")) {
      for (int id : specials) {
        attrs[id] |= ATTR_RSTRIP;
      }
      Integer eosText = ids.get("</s>");
      if (eosText != null) {
        attrs[eosText] |= ATTR_RSTRIP;
      }
      for (String s : new String[] {"<unk>", "<s>", "<|endoftext|>"}) {
        Integer id = ids.get(s);
        if (id != null) {
          attrs[id] &= ~ATTR_RSTRIP;
        }
      }
    }
  }

  /** The exact bytes of the vocabulary entry. */
  byte[] textBytes(int id) {
    return texts[id].getBytes(StandardCharsets.ISO_8859_1);
  }

  int size() {
    return texts.length;
  }

  Integer id(String latin1) {
    return ids.get(latin1);
  }
}

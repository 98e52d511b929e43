package dev.banter.local.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the words byte-level BPE merges within, the way llama.cpp does for each
 * {@code tokenizer.ggml.pre}: a list of rules applied one after the other, each splitting every
 * piece the previous rules produced into its matches and the gaps between them.
 *
 * <p>Two rules are hand-written scanners (the GPT-2 and Llama 3 patterns, as in llama.cpp).
 * The others are regular expressions run the way llama.cpp runs them: a pattern using Unicode
 * classes ({@code \p{L}} ...) sees the text "collapsed" to one character per code point, where
 * ASCII stays itself, non-ASCII white space becomes U+000B and every other non-ASCII code point
 * becomes a marker of its category; {@code \p{L}} then means "the letter marker or A-Z, a-z", and
 * so on. A pattern without Unicode classes sees the code points themselves, again with non-ASCII
 * white space turned into U+000B. This reproduces llama.cpp's choices exactly, including where
 * they differ from a full Unicode regex (for example {@code ~} is in no class).
 */
final class PreTokenizer {
  /** One splitting step over the code points {@code [from, to)}; appends piece lengths that cover it. */
  private interface Rule {
    void split(Text text, int from, int to, IntList out);
  }

  /** The code points being split and their lazily built regex views. */
  static final class Text {
    final int[] cps;
    private String collapsed;
    private String plain;
    private int[] plainIndex;

    Text(int[] cps) {
      this.cps = cps;
    }

    int cp(int pos, int from, int to) {
      return pos >= from && pos < to ? cps[pos] : -1;
    }

    int flags(int pos, int from, int to) {
      return pos >= from && pos < to ? Unicode.flags(cps[pos]) : 0;
    }

    String collapsed() {
      if (collapsed == null) {
        char[] c = new char[cps.length];
        for (int i = 0; i < cps.length; i++) {
          int cp = cps[i];
          if (cp < 128) {
            c[i] = (char) cp;
            continue;
          }
          int f = Unicode.flags(cp);
          if ((f & Unicode.WHITESPACE) != 0) {
            c[i] = '\u000B';
          } else {
            c[i] = switch (f & Unicode.CATEGORIES) {
              case Unicode.NUMBER -> MARK_N;
              case Unicode.LETTER -> MARK_L;
              case Unicode.PUNCTUATION -> MARK_P;
              case Unicode.MARK -> MARK_M;
              case Unicode.SYMBOL -> MARK_S;
              default -> MARK_OTHER;
            };
          }
        }
        collapsed = new String(c);
      }
      return collapsed;
    }

    String plain() {
      if (plain == null) {
        StringBuilder sb = new StringBuilder(cps.length + 8);
        plainIndex = new int[cps.length + 1];
        for (int i = 0; i < cps.length; i++) {
          plainIndex[i] = sb.length();
          int cp = cps[i];
          if (cp > 0x7F && Unicode.isWhitespace(cp)) {
            cp = 0x0B;
          }
          sb.appendCodePoint(cp <= Unicode.MAX_CODEPOINT ? cp : Utf8.REPLACEMENT);
        }
        plainIndex[cps.length] = sb.length();
        plain = sb.toString();
      }
      return plain;
    }
  }

  private static final char MARK_OTHER = '\uE000';
  private static final char MARK_N = '\uE001';
  private static final char MARK_L = '\uE002';
  private static final char MARK_P = '\uE003';
  private static final char MARK_M = '\uE004';
  private static final char MARK_S = '\uE005';

  // ---- the hand-written scanners

  /** {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
  private static final Rule GPT2 = (t, from, to, out) -> {
    int pos = from;
    int last = from;
    while (pos < to) {
      int c = t.cp(pos, from, to);
      int f = t.flags(pos, from, to);
      int end = -1;
      if (c == '\'' && pos + 1 < to) {
        int n = t.cp(pos + 1, from, to);
        if (n == 's' || n == 't' || n == 'm' || n == 'd') {
          end = pos + 2;
        } else if (pos + 2 < to) {
          int nn = t.cp(pos + 2, from, to);
          if ((n == 'r' && nn == 'e') || (n == 'v' && nn == 'e') || (n == 'l' && nn == 'l')) {
            end = pos + 3;
          }
        }
      }
      if (end < 0) {
        int skip = c == ' ' ? 1 : 0;
        int f2 = c == ' ' ? t.flags(pos + 1, from, to) : f;
        if ((f2 & Unicode.LETTER) != 0) {
          end = pos + skip;
          while ((t.flags(end, from, to) & Unicode.LETTER) != 0) end++;
        } else if ((f2 & Unicode.NUMBER) != 0) {
          end = pos + skip;
          while ((t.flags(end, from, to) & Unicode.NUMBER) != 0) end++;
        } else if (isOther(f2)) {
          end = pos + skip;
          while (isOther(t.flags(end, from, to))) end++;
        } else {
          int ws = 0;
          while ((t.flags(pos + ws, from, to) & Unicode.WHITESPACE) != 0) ws++;
          if (ws > 1 && t.cp(pos + ws, from, to) != -1) {
            end = pos + ws - 1;
          } else if (ws > 0) {
            end = pos + ws;
          } else {
            end = pos + 1;
          }
        }
      }
      if (end > last) {
        out.add(end - last);
        last = end;
      }
      pos = end;
    }
  };

  /**
   * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}.
   */
  private static final Rule LLAMA3 = (t, from, to, out) -> {
    int pos = from;
    int last = from;
    while (pos < to) {
      int c = t.cp(pos, from, to);
      int f = t.flags(pos, from, to);
      if (c == '\'' && pos + 1 < to) {
        int n = Unicode.toLowerAscii(t.cp(pos + 1, from, to));
        int end = -1;
        if (n == 's' || n == 't' || n == 'm' || n == 'd') {
          end = pos + 2;
        } else if (pos + 2 < to) {
          int nn = Unicode.toLowerAscii(t.cp(pos + 2, from, to));
          if ((n == 'r' && nn == 'e') || (n == 'v' && nn == 'e') || (n == 'l' && nn == 'l')) {
            end = pos + 3;
          }
        }
        if (end > 0) {
          out.add(end - last);
          last = pos = end;
          continue;
        }
      }
      if (!(c == '\r' || c == '\n' || (f & Unicode.NUMBER) != 0)
          && ((f & Unicode.LETTER) != 0 || (t.flags(pos + 1, from, to) & Unicode.LETTER) != 0)) {
        pos++;
        while ((t.flags(pos, from, to) & Unicode.LETTER) != 0) pos++;
        out.add(pos - last);
        last = pos;
        continue;
      }
      if ((f & Unicode.NUMBER) != 0) {
        int ini = pos;
        while ((t.flags(pos, from, to) & Unicode.NUMBER) != 0) {
          pos++;
          if (pos - ini >= 3) {
            out.add(pos - last);
            last = pos;
            ini = pos;
          }
        }
        if (pos > last) {
          out.add(pos - last);
          last = pos;
        }
        continue;
      }
      int f2 = c == ' ' ? t.flags(pos + 1, from, to) : f;
      if ((f2 & (Unicode.WHITESPACE | Unicode.LETTER | Unicode.NUMBER)) == 0 && f != 0) {
        if (c == ' ') pos++;
        while (isOther(t.flags(pos, from, to))) pos++;
        for (int c2 = t.cp(pos, from, to); c2 == '\r' || c2 == '\n'; c2 = t.cp(pos, from, to)) pos++;
        out.add(pos - last);
        last = pos;
        continue;
      }
      int ws = 0;
      int lastNewline = 0;
      while ((t.flags(pos + ws, from, to) & Unicode.WHITESPACE) != 0) {
        int c2 = t.cp(pos + ws, from, to);
        if (c2 == '\r' || c2 == '\n') {
          lastNewline = pos + ws + 1;
        }
        ws++;
      }
      if (lastNewline > 0) {
        pos = lastNewline;
      } else if (ws > 1 && t.cp(pos + ws, from, to) != -1) {
        pos += ws - 1;
      } else if (ws > 0) {
        pos += ws;
      } else {
        pos++;
      }
      out.add(pos - last);
      last = pos;
    }
  };

  /** Not white space, letter or number, but inside the text. */
  private static boolean isOther(int flags) {
    return (flags & (Unicode.WHITESPACE | Unicode.LETTER | Unicode.NUMBER)) == 0 && flags != 0;
  }

  // ---- regex rules

  /** A regex over the collapsed text; {@code \p{N}, \p{L}, \p{P}, \p{M}, \p{S}} are rewritten to markers. */
  private static Rule collapsed(String regex) {
    Pattern p = Pattern.compile(rewriteCategories(regex));
    return (t, from, to, out) -> splitByMatches(p.matcher(t.collapsed().substring(from, to)), to - from, out, null);
  }

  /** A regex over the code points themselves (non-ASCII white space seen as U+000B). */
  private static Rule plain(String regex) {
    Pattern p = Pattern.compile(regex);
    return (t, from, to, out) -> {
      String s = t.plain();
      String sub = s.substring(t.plainIndex[from], t.plainIndex[to]);
      splitByMatches(p.matcher(sub), to - from, out, sub);
    };
  }

  /**
   * Appends the lengths (in code points) of the matches of {@code m} and of the gaps between
   * them; {@code chars} is the matched text when it may hold surrogate pairs, else null.
   */
  private static void splitByMatches(Matcher m, int length, IntList out, String chars) {
    int last = 0;
    while (m.find()) {
      int start = chars == null ? m.start() : chars.codePointCount(0, m.start());
      int end = chars == null ? m.end() : start + chars.codePointCount(m.start(), m.end());
      if (start > last) {
        out.add(start - last);
      }
      if (end > start) {
        out.add(end - start);
      }
      last = end;
    }
    if (last < length) {
      out.add(length - last);
    }
  }

  /** Replaces the five category escapes by marker-plus-ASCII classes, inside or outside brackets. */
  static String rewriteCategories(String regex) {
    StringBuilder sb = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        if (regex.charAt(i + 1) == 'p' && i + 4 < regex.length() && regex.charAt(i + 2) == '{'
            && regex.charAt(i + 4) == '}') {
          String members = categoryMembers(regex.charAt(i + 3));
          if (members != null) {
            sb.append(inClass ? members : "[" + members + "]");
            i += 4;
            continue;
          }
        }
        sb.append(c).append(regex.charAt(i + 1));
        i++;
        continue;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static String categoryMembers(char category) {
    return switch (category) {
      case 'N' -> MARK_N + "0-9";
      case 'L' -> MARK_L + "A-Za-z";
      case 'P' -> MARK_P + "!-#%-*,-/:;?@\\[-\\]_{}";
      case 'M' -> String.valueOf(MARK_M);
      case 'S' -> MARK_S + "$+<=>^`|";
      default -> null;
    };
  }

  // ---- the pre-tokenizers llama.cpp knows

  private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
  private static final String CJK = "[\\x{4E00}-\\x{9FA5}\\x{800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+";
  private static final String DEEPSEEK_LETTERS = "\\s?[A-Za-z\\x{B5}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}"
      + "\\x{F8}-\\x{1BA}\\x{1BC}-\\x{1BF}\\x{1C4}-\\x{293}\\x{295}-\\x{2AF}\\x{370}-\\x{373}\\x{376}\\x{377}"
      + "\\x{37B}-\\x{37D}\\x{37F}\\x{386}\\x{388}-\\x{38A}\\x{38C}\\x{38E}-\\x{3A1}\\x{3A3}-\\x{3F5}"
      + "\\x{3F7}-\\x{481}\\x{48A}-\\x{52F}\\x{531}-\\x{556}\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}"
      + "\\x{13F8}-\\x{13FD}\\x{1C90}-\\x{1CBA}\\x{1CBD}-\\x{1CBF}\\x{1D00}-\\x{1D2B}\\x{1D6B}-\\x{1D77}"
      + "\\x{1D79}-\\x{1D9A}\\x{1E00}-\\x{1F15}\\x{1F18}-\\x{1F1D}\\x{1F20}-\\x{1F45}\\x{1F48}-\\x{1F4D}"
      + "\\x{1F50}-\\x{1F57}\\x{1F59}\\x{1F5B}\\x{1F5D}\\x{1F5F}-\\x{1F7D}\\x{1F80}-\\x{1FB4}"
      + "\\x{1FB6}-\\x{1FBC}\\x{1FBE}\\x{1FC2}-\\x{1FC4}\\x{1FC6}-\\x{1FCC}\\x{1FD0}-\\x{1FD3}"
      + "\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}\\x{1FF2}-\\x{1FF4}\\x{1FF6}-\\x{1FFC}\\x{2102}\\x{2107}"
      + "\\x{210A}-\\x{2113}\\x{2115}\\x{2119}-\\x{211D}\\x{2124}\\x{2126}\\x{2128}\\x{212A}-\\x{212D}"
      + "\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}\\x{2145}-\\x{2149}\\x{214E}\\x{2183}\\x{2184}"
      + "\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}\\x{2CEB}-\\x{2CEE}\\x{2CF2}\\x{2CF3}\\x{A640}-\\x{A66D}"
      + "\\x{A680}-\\x{A69B}\\x{A722}-\\x{A76F}\\x{A771}-\\x{A787}\\x{A78B}-\\x{A78E}\\x{AB70}-\\x{ABBF}"
      + "\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}\\x{10400}-\\x{1044F}"
      + "\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}"
      + "\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+";
  private static final String QWEN2 = CONTRACTIONS
      + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  private static final String CASED_WORDS_UPPER_LOWER =
      "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+";
  private static final String CASED_WORDS_UPPER = "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*";
  private static final String FINNISH = " ?[^(\\s|.,!?\\x{2026}\\x{3002}\\x{FF0C}\\x{3001}\\x{964}\\x{6D4}\\x{60C})]+";

  /** The rules of one pre-tokenizer family. */
  static PreTokenizer of(PreType type) {
    List<Rule> r = new ArrayList<>();
    switch (type) {
      case LLAMA3 -> r.add(LLAMA3);
      case DEEPSEEK_LLM -> {
        r.add(plain("[\\r\\n]"));
        r.add(plain(DEEPSEEK_LETTERS));
        r.add(plain("\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}]+"));
        r.add(plain("\\s+\\z"));
        r.add(plain(CJK));
        r.add(collapsed("\\p{N}+"));
      }
      case DEEPSEEK3_LLM -> {
        r.add(collapsed("\\p{N}{1,3}"));
        r.add(plain("[\\x{4E00}-\\x{9FA5}\\x{3040}-\\x{309F}\\x{30A0}-\\x{30FF}]+"));
        r.add(collapsed("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
            + "| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
      }
      case DEEPSEEK_CODER -> {
        r.add(plain("[\\r\\n]"));
        r.add(collapsed("\\s?\\p{L}+"));
        r.add(collapsed("\\s?\\p{P}+"));
        r.add(plain(CJK));
        r.add(collapsed("\\p{N}"));
      }
      case FALCON -> {
        r.add(collapsed("[\\p{P}\\$\\+<=>\\^~\\|`]+"));
        r.add(GPT2);
        r.add(plain("[0-9][0-9][0-9]"));
      }
      case STARCODER -> {
        r.add(collapsed("\\p{N}"));
        r.add(GPT2);
      }
      case GPT2 -> r.add(GPT2);
      case QWEN2 -> r.add(collapsed(QWEN2));
      case PORO -> r.add(plain(FINNISH));
      case VIKING -> {
        r.add(plain(FINNISH));
        r.add(collapsed("\\p{N}"));
      }
      case TEKKEN -> {
        r.add(collapsed(CASED_WORDS_UPPER_LOWER + "|" + CASED_WORDS_UPPER
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
      }
      case CHAMELEON -> {
        r.add(plain("<sentinel:[0-9]+>"));
        r.add(plain("(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z"));
        r.add(plain("([\\t\\n]|    |  )"));
        r.add(collapsed("\\p{N}"));
        r.add(collapsed("[\\p{P}!-/:-@\\[-`{-~]"));
        r.add(GPT2);
      }
      case GPT4O -> {
        r.add(collapsed(CASED_WORDS_UPPER_LOWER + CONTRACTIONS + "?|" + CASED_WORDS_UPPER + CONTRACTIONS
            + "?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
      }
      case BAILINGMOE -> {
        r.add(collapsed("'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"));
      }
      case SUPERBPE -> {
        r.add(collapsed("\\p{N}+"));
        r.add(plain("(?=(\\d{3})+(?!\\d))"));
      }
      case SEED_CODER -> {
        r.add(collapsed(CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\\r\\n]+"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));
      }
      default -> {
        r.add(collapsed("[\\p{P}\\$\\+<=>\\^~\\|]+"));
        r.add(GPT2);
        r.add(collapsed("\\p{N}+"));
        r.add(plain("[0-9][0-9][0-9]"));
      }
    }
    return new PreTokenizer(r);
  }

  private final List<Rule> rules;

  private PreTokenizer(List<Rule> rules) {
    this.rules = rules;
  }

  /** The lengths, in code points, of the words of {@code cps}, in order. */
  int[] split(int[] cps) {
    Text text = new Text(cps);
    int[] pieces = {cps.length};
    for (Rule rule : rules) {
      IntList next = new IntList(pieces.length * 2);
      int start = 0;
      for (int len : pieces) {
        if (len > 0) {
          rule.split(text, start, start + len, next);
        }
        start += len;
      }
      pieces = next.toArray();
    }
    return pieces;
  }

  @Override
  public String toString() {
    return "PreTokenizer" + Arrays.toString(new int[] {rules.size()});
  }
}

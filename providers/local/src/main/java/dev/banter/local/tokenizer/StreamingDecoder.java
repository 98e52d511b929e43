package dev.banter.local.tokenizer;

import java.util.Objects;

/**
 * Turns generated tokens into text as they arrive, never emitting half a character: bytes of a
 * UTF-8 sequence that a later token completes (byte tokens, byte-level BPE pieces) are held back
 * until it is complete. The text is the concatenation of the tokens' pieces, as llama.cpp's
 * server streams them (no leading-space removal, no clean-up); ill-formed UTF-8 becomes U+FFFD
 * exactly as {@link Tokenizer#decode} would produce it. Not thread-safe: one per generation.
 *
 * <pre>{@code
 * StreamingDecoder d = tokenizer.newStreamingDecoder(false);
 * for (int id : generated) emit(d.append(id));   // "" while a character is incomplete
 * emit(d.finish());                                // U+FFFD if the output ended mid-character
 * }</pre>
 */
public final class StreamingDecoder {
  private final Tokenizer tokenizer;
  private final boolean renderSpecial;
  private final ByteList pending = new ByteList(16);

  StreamingDecoder(Tokenizer tokenizer, boolean renderSpecial) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.renderSpecial = renderSpecial;
  }

  /**
   * Adds one token and returns the text that became complete (possibly empty).
   *
   * @throws IllegalArgumentException if the id is outside the vocabulary
   */
  public String append(int token) {
    pending.add(tokenizer.piece(token, renderSpecial));
    int keep = Utf8.incompleteTail(pending.array(), pending.size());
    int ready = pending.size() - keep;
    if (ready == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder(ready);
    Utf8.decode(pending.array(), 0, ready, sb);
    pending.removeFirst(ready);
    return sb.toString();
  }

  /** Whether bytes of an unfinished character are held back. */
  public boolean hasPending() {
    return pending.size() > 0;
  }

  /** Returns what is held back (as U+FFFD, being incomplete) and starts over. */
  public String finish() {
    StringBuilder sb = new StringBuilder();
    Utf8.decode(pending.array(), 0, pending.size(), sb);
    pending.clear();
    return sb.toString();
  }
}

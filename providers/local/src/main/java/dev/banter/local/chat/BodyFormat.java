package dev.banter.local.chat;

/** How one family writes an answer (after any {@code <think>} block): text and tool calls. */
interface BodyFormat {
  /** Reads {@code text} into {@code out}, holding back what is undecided when {@code out} is partial. */
  void parse(String text, Draft out);

  /**
   * Whether a parse may resume at the {@link Draft#safe} point a partial parse recorded, reading
   * only the text from there (with what came before carried over), instead of all of it again.
   */
  default boolean resumable() {
    return false;
  }
}

package dev.banter.core;

import dev.banter.api.Message;
import dev.banter.api.ToolCall;
import java.util.List;

/**
 * A deliberately generous token count for backends without an exact tokenizer: a token per four
 * ASCII characters, a token per other character (CJK, emoji and accented text tokenise densely),
 * and a few tokens of template overhead per message. Erring high keeps prompts inside the window.
 */
final class TokenEstimator {
  static final int PER_MESSAGE = 4;
  static final int PER_PROMPT = 3;

  private TokenEstimator() {}

  static int estimate(List<Message> messages) {
    int total = PER_PROMPT;
    for (Message m : messages) {
      total += estimate(m);
    }
    return total;
  }

  static int estimate(Message m) {
    int n = PER_MESSAGE + text(m.content());
    for (ToolCall c : m.toolCalls()) {
      n += PER_MESSAGE + text(c.name()) + text(c.arguments());
    }
    return n;
  }

  static int text(String s) {
    int ascii = 0;
    int other = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (cp < 0x80) {
        ascii++;
      } else {
        other++;
      }
      i += Character.charCount(cp);
    }
    return (ascii + 3) / 4 + other;
  }
}

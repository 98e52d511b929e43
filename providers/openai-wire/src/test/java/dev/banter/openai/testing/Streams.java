package dev.banter.openai.testing;

import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.ChatStream;
import java.util.ArrayList;
import java.util.List;

/** Drains a stream the way an application would (the blocking iterator), keeping what arrived. */
public final class Streams {
  public final List<ChatChunk> chunks = new ArrayList<>();
  public BanterException error;

  private Streams() {}

  public static Streams drain(ChatStream stream) {
    Streams s = new Streams();
    try {
      for (ChatChunk c : stream) {
        s.chunks.add(c);
      }
    } catch (BanterException e) {
      s.error = e;
    }
    return s;
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(c.text()));
    return sb.toString();
  }

  public String reasoning() {
    StringBuilder sb = new StringBuilder();
    chunks.forEach(c -> sb.append(c.reasoning()));
    return sb.toString();
  }
}

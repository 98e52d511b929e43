package dev.banter.local.chat;

import dev.banter.api.ChatChunk;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Reads a model's output as it is decoded and turns it into stream chunks: answer text, reasoning
 * text and tool-call fragments. Markup is never passed on as text: a piece that may be the start of
 * a marker ({@code <tool_}) waits until the next pieces decide, and trailing whitespace waits for
 * what follows it. One parser per generation; not thread-safe.
 *
 * <pre>{@code
 * ChatOutputParser parser = ChatFormat.detect(template).parser(prompt);
 * for (String piece : pieces) {
 *   parser.feed(piece).forEach(out::emit);
 * }
 * parser.finish().forEach(out::emit);
 * FinishReason reason = parser.result().finishReason(FinishReason.STOP);
 * }</pre>
 *
 * <p>Calls get an id from the output when the format writes one (Kimi's {@code functions.N:0},
 * Mistral's), else a random {@code call_...} (nine letters and digits for Mistral). Markup that
 * does not read as a call is answer text. A call whose markup breaks off <em>after</em> its
 * fragments were sent (the output ends inside its arguments, or they stop being JSON) leaves those
 * fragments sent; {@link #result()} then holds the text instead, and is authoritative.
 */
public final class ChatOutputParser {
  private final ChatFormat format;
  private final ChatFormat.Progress progress;
  private final boolean thinkingOpen;
  private final Random random;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder sentContent = new StringBuilder();
  private final StringBuilder sentReasoning = new StringBuilder();
  private final List<String> ids = new ArrayList<>();
  private final List<String> sentArguments = new ArrayList<>();
  private final int maxCalls;
  /** The last reading before a call beyond {@link #maxCalls} began, once one has. */
  private Snapshot limited;
  private ParsedMessage result;

  ChatOutputParser(ChatFormat format, boolean thinkingOpen, Random random, int maxCalls) {
    this.format = format;
    this.progress = new ChatFormat.Progress(format.family().newFormat());
    this.thinkingOpen = thinkingOpen;
    this.random = random;
    this.maxCalls = maxCalls;
  }

  /**
   * Whether the output has begun a call beyond the most this parser was allowed
   * ({@link ChatFormat#parser(String, boolean)} without parallel calls): the answer is over, and
   * what follows is ignored.
   */
  public boolean callLimitReached() {
    return limited != null;
  }

  /**
   * Takes the next piece of decoded text and returns what it completes, possibly nothing.
   *
   * @throws IllegalStateException after {@link #finish()}
   */
  public List<ChatChunk> feed(String piece) {
    Objects.requireNonNull(piece, "piece");
    if (result != null) {
      throw new IllegalStateException("the output is finished; feed() after finish()");
    }
    if (piece.isEmpty()) {
      return List.of();
    }
    text.append(piece);
    if (limited != null) {
      return List.of();
    }
    Snapshot s = format.snapshot(text.toString(), thinkingOpen, true, progress);
    if (s.calls().size() > maxCalls) {
      limited = new Snapshot(s.content(), s.reasoning(), s.calls().subList(0, maxCalls));
      return send(limited);
    }
    return send(s);
  }

  /**
   * Ends the output: returns what was held back, now decided (incomplete markup as text).
   *
   * @throws IllegalStateException when called twice
   */
  public List<ChatChunk> finish() {
    if (result != null) {
      throw new IllegalStateException("finish() was already called");
    }
    Snapshot last = limited != null ? limited : format.snapshot(text.toString(), thinkingOpen, false, progress);
    if (last.calls().size() > maxCalls) {
      last = new Snapshot(last.content(), last.reasoning(), last.calls().subList(0, maxCalls));
    }
    List<ChatChunk> chunks = send(last);
    List<ToolCall> calls = new ArrayList<>(last.calls().size());
    for (int i = 0; i < last.calls().size(); i++) {
      Draft.Call c = last.calls().get(i);
      calls.add(new ToolCall(id(i, c), c.name(), c.arguments()));
    }
    result = new ParsedMessage(last.content(), last.reasoning(), calls);
    return chunks;
  }

  /**
   * The whole message.
   *
   * @throws IllegalStateException before {@link #finish()}
   */
  public ParsedMessage result() {
    if (result == null) {
      throw new IllegalStateException("result() needs finish() first");
    }
    return result;
  }

  /** The raw output fed so far. */
  public String text() {
    return text.toString();
  }

  private List<ChatChunk> send(Snapshot s) {
    List<ChatChunk> chunks = new ArrayList<>(2);
    String reasoning = grow(sentReasoning, s.reasoning());
    if (!reasoning.isEmpty()) {
      chunks.add(ChatChunk.ofReasoning(reasoning));
    }
    String content = grow(sentContent, s.content());
    if (!content.isEmpty()) {
      chunks.add(ChatChunk.ofText(content));
    }
    for (int i = 0; i < s.calls().size(); i++) {
      Draft.Call c = s.calls().get(i);
      if (i >= sentArguments.size()) {
        if (i > sentArguments.size()) {
          break;
        }
        chunks.add(ChatChunk.ofToolCall(ToolCallDelta.start(i, id(i, c), c.name(), c.arguments())));
        sentArguments.add(c.arguments());
      } else {
        String sent = sentArguments.get(i);
        if (c.arguments().length() > sent.length() && c.arguments().startsWith(sent)) {
          chunks.add(ChatChunk.ofToolCall(ToolCallDelta.arguments(i, c.arguments().substring(sent.length()))));
          sentArguments.set(i, c.arguments());
        }
      }
    }
    return chunks;
  }

  /**
   * The part of {@code now} beyond what was sent, recorded as sent; nothing when {@code now} does
   * not extend it (checked on the last characters sent, as parses only ever extend each other).
   */
  private static String grow(StringBuilder sent, String now) {
    int n = sent.length();
    if (now.length() <= n) {
      return "";
    }
    for (int i = Math.max(0, n - 64); i < n; i++) {
      if (sent.charAt(i) != now.charAt(i)) {
        return "";
      }
    }
    String delta = now.substring(n);
    sent.append(delta);
    return delta;
  }

  private String id(int index, Draft.Call call) {
    while (ids.size() <= index) {
      ids.add(null);
    }
    String id = ids.get(index);
    if (id == null) {
      id = call.id().isEmpty() ? format.family().newId(random) : call.id();
      ids.set(index, id);
    }
    return id;
  }
}

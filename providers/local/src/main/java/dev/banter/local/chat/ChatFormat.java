package dev.banter.local.chat;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a model's output is laid out, learned from its chat template: the {@link ToolCallFamily} of
 * its tool calls and whether it reasons in {@code <think>} blocks. Immutable and thread-safe; the
 * parsers it makes are not.
 *
 * <pre>{@code
 * ChatFormat format = ChatFormat.detect(template.source());
 * ChatOutputParser parser = format.parser(prompt);
 * for (String piece : decodedPieces) chunks.addAll(parser.feed(piece));
 * chunks.addAll(parser.finish());
 * ParsedMessage message = parser.result();
 * }</pre>
 */
public final class ChatFormat {
  private final ToolCallFamily family;
  private final boolean thinks;

  private ChatFormat(ToolCallFamily family, boolean thinks) {
    this.family = family;
    this.thinks = thinks;
  }

  /** The format of a model whose chat template ({@code tokenizer.chat_template}) is {@code template}. */
  public static ChatFormat detect(String template) {
    Objects.requireNonNull(template, "template");
    ToolCallFamily family = ToolCallFamily.detect(template);
    return new ChatFormat(family, family != ToolCallFamily.GPT_OSS && template.contains(Thinking.OPEN));
  }

  /**
   * A format given outright.
   *
   * @param thinks whether a leading {@code <think>...</think>} block is reasoning (ignored for
   *     {@link ToolCallFamily#GPT_OSS}, whose reasoning is its {@code analysis} channel)
   */
  public static ChatFormat of(ToolCallFamily family, boolean thinks) {
    Objects.requireNonNull(family, "family");
    return new ChatFormat(family, thinks && family != ToolCallFamily.GPT_OSS);
  }

  /** The family the tool calls are written in. */
  public ToolCallFamily family() {
    return family;
  }

  /** Whether a leading {@code <think>...</think>} block is read as reasoning. */
  public boolean thinks() {
    return thinks;
  }

  /** What a constrained decoder needs to force a tool call; the same as {@code family().syntax()}. */
  public ToolCallSyntax toolCallSyntax() {
    return family.syntax();
  }

  /**
   * A parser for the output that follows {@code prompt}, the rendered prompt text (its end tells
   * whether the template already opened a {@code <think>} block).
   */
  public ChatOutputParser parser(String prompt) {
    return parser(prompt, ThreadLocalRandom.current());
  }

  /** As {@link #parser(String)}, drawing call ids from {@code random}. */
  public ChatOutputParser parser(String prompt, Random random) {
    return parser(prompt, random, Integer.MAX_VALUE);
  }

  /**
   * As {@link #parser(String)}; without {@code parallelCalls} the answer holds at most one tool
   * call, and {@link ChatOutputParser#callLimitReached()} tells when the model began another.
   */
  public ChatOutputParser parser(String prompt, boolean parallelCalls) {
    return parser(prompt, ThreadLocalRandom.current(), parallelCalls ? Integer.MAX_VALUE : 1);
  }

  private ChatOutputParser parser(String prompt, Random random, int maxCalls) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(random, "random");
    return new ChatOutputParser(this, thinks && Thinking.opensIn(prompt), random, maxCalls);
  }

  /** The message in a whole output; the same as feeding it to {@link #parser(String)} and finishing. */
  public ParsedMessage parse(String prompt, String output) {
    ChatOutputParser p = parser(prompt);
    p.feed(output);
    p.finish();
    return p.result();
  }

  /** Parses {@code text}: partially while more may follow, else finally. */
  Snapshot snapshot(String text, boolean thinkingOpen, boolean partial) {
    return snapshot(text, thinkingOpen, partial, new Progress(family.newFormat()));
  }

  /**
   * What earlier parses of a growing text have settled: where the answer begins (after the think
   * block) with the reasoning before it, and a point in the answer to resume from with the content
   * and calls before it. Lets each new piece cost the unsettled tail, not the whole output.
   */
  static final class Progress {
    final BodyFormat format;
    int body = -1;
    String reasoning = "";
    int at = -1;
    String content = "";
    List<Draft.Call> calls = List.of();

    Progress(BodyFormat format) {
      this.format = format;
    }
  }

  /** As {@link #snapshot(String, boolean, boolean)}, reusing and extending what {@code progress} settled. */
  Snapshot snapshot(String text, boolean thinkingOpen, boolean partial, Progress progress) {
    Draft draft = new Draft(partial);
    int body = progress.body;
    if (body >= 0) {
      draft.reasoning.append(progress.reasoning);
    } else {
      body = thinks || thinkingOpen ? Thinking.split(text, thinkingOpen, draft) : 0;
      if (body >= 0 && partial) {
        progress.body = body;
        progress.reasoning = draft.reasoning.toString();
      }
    }
    if (body >= 0) {
      int from = body;
      boolean resume = progress.format.resumable();
      if (resume && progress.at > body) {
        from = progress.at;
        draft.content.append(progress.content);
        draft.calls.addAll(progress.calls);
      }
      int contentBefore = draft.content.length();
      int callsBefore = draft.calls.size();
      draft.safeAt(0);
      progress.format.parse(from == 0 ? text : text.substring(from), draft);
      if (resume && partial && draft.safe > 0) {
        progress.at = from + draft.safe;
        progress.content = draft.content.substring(0, Math.max(contentBefore, draft.safeContent));
        progress.calls = List.copyOf(draft.calls.subList(0, Math.max(callsBefore, draft.safeCalls)));
      }
    }
    return draft.snapshot();
  }

  @Override
  public String toString() {
    return "ChatFormat[" + family + (thinks ? ", <think>" : "") + "]";
  }
}

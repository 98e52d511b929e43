package dev.banter.openai;

import dev.banter.api.ChatChunk;
import dev.banter.api.FinishReason;
import dev.banter.api.TokenLogprob;
import dev.banter.api.ToolCallDelta;
import dev.banter.api.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows a streamed answer chunk by chunk (the algorithm of wire-formats §1.12) and turns each
 * wire chunk into the {@link ChatChunk} the caller sees; the answer itself is assembled by the
 * {@code ChatStreamEmitter} those chunks go to. Per choice it keeps whether it finished; for the
 * first choice it keeps each tool call's id and name, so that a fragment repeating them is not
 * taken for a new one and a call that arrives without an id gets one. The last usage seen wins
 * (a final {@code choices: []} chunk, or usage on every chunk as vLLM's continuous usage sends
 * it); llama.cpp's {@code timings} likewise. Only the first choice is surfaced: the client never
 * asks for {@code n > 1}. Not thread-safe.
 */
final class StreamAccumulator {
  private final Dialect dialect;
  private final Map<Integer, ToolState> tools = new HashMap<>();
  private final Map<Integer, String> finishByChoice = new HashMap<>();
  private WireUsage usage;
  private WireTimings timings;
  private int chunks;
  private long answerChars;

  StreamAccumulator(Dialect dialect) {
    this.dialect = dialect;
  }

  private static final class ToolState {
    String id = "";
    String name = "";
  }

  /** Takes one chunk (already checked for an in-band error) and returns what is new in it. */
  ChatChunk accept(WireResponse chunk) {
    chunks++;
    if (chunk.usage != null) {
      usage = chunk.usage;
    }
    if (chunk.timings != null) {
      timings = chunk.timings;
    }
    if (chunk.choices == null || chunk.choices.isEmpty()) {
      return ChatChunk.ofText("");
    }
    String newText = "";
    String newReasoning = "";
    List<ToolCallDelta> deltas = new ArrayList<>(0);
    List<TokenLogprob> logprobs = List.of();
    for (WireResponse.Choice c : chunk.choices) {
      int index = c.indexOrZero();
      if (c.finishReason != null) {
        finishByChoice.put(index, c.finishReason);
      } else {
        finishByChoice.putIfAbsent(index, null);
      }
      WireMessage d = c.delta != null ? c.delta : c.message;
      if (index != 0 || d == null) {
        continue;
      }
      List<TokenLogprob> lp = WireLogprobs.read(c.logprobs);
      if (!lp.isEmpty()) {
        logprobs = logprobs.isEmpty() ? lp : concat(logprobs, lp);
      }
      String t = d.contentText();
      String r = d.reasoningText();
      newText = newText.isEmpty() ? t : newText + t;
      newReasoning = newReasoning.isEmpty() ? r : newReasoning + r;
      if (d.toolCalls != null) {
        for (WireToolCall tc : d.toolCalls) {
          deltas.add(toolDelta(tc));
        }
      }
    }
    answerChars += newText.length() + newReasoning.length();
    for (ToolCallDelta td : deltas) {
      answerChars += td.argumentsFragment().length();
    }
    return new ChatChunk(newText, newReasoning, deltas, logprobs);
  }

  private static List<TokenLogprob> concat(List<TokenLogprob> a, List<TokenLogprob> b) {
    List<TokenLogprob> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private ToolCallDelta toolDelta(WireToolCall tc) {
    int index = tc.index == null || tc.index < 0 ? 0 : tc.index;
    ToolState s = tools.get(index);
    boolean fresh = s == null;
    if (fresh) {
      s = new ToolState();
      tools.put(index, s);
    }
    Optional<String> id = Optional.empty();
    if (tc.id != null && !tc.id.isEmpty() && !tc.id.equals(s.id)) {
      s.id = tc.id;
      id = Optional.of(tc.id);
    } else if (fresh) {
      s.id = WireMapping.newToolCallId();
      id = Optional.of(s.id);
    }
    Optional<String> name = Optional.empty();
    if (!tc.name().isEmpty() && !tc.name().equals(s.name)) {
      s.name = tc.name();
      name = Optional.of(s.name);
    }
    return new ToolCallDelta(index, id, name, tc.arguments());
  }

  /** Characters of text, reasoning and tool arguments received so far. */
  long answerChars() {
    return answerChars;
  }

  /** Whether at least one choice was seen and every choice seen has a finish reason. */
  boolean allChoicesFinished() {
    if (finishByChoice.isEmpty()) {
      return false;
    }
    for (String f : finishByChoice.values()) {
      if (f == null) {
        return false;
      }
    }
    return true;
  }

  /** Why the first choice ended; STOP when it did not say (or has not ended). */
  FinishReason finishReason() {
    FinishReason r = WireMapping.finishReason(finishByChoice.get(0));
    return r == FinishReason.STOP && !tools.isEmpty() ? FinishReason.TOOL_CALLS : r;
  }

  /** The usage the server reported last (or llama.cpp's timings imply), when it reported any. */
  Optional<Usage> usage() {
    return WireMapping.usage(usage, timings, dialect);
  }

  /** llama.cpp's timings from the last chunk that had them, or {@code null}. */
  WireTimings timings() {
    return timings;
  }

  int chunks() {
    return chunks;
  }
}

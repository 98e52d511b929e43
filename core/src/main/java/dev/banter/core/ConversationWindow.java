package dev.banter.core;

import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.Message;
import dev.banter.api.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Chooses which part of a conversation's history fits a token budget. The history is cut into
 * turns — each starts at a user message and holds everything up to the next one, so a tool call
 * and its results always stay together — and the oldest turns are dropped until the prompt fits.
 * The prefix (the persona's system prompt and examples) is never dropped, and neither is the
 * newest turn: if that alone does not fit, the prompt is too long.
 */
final class ConversationWindow {
  private ConversationWindow() {}

  /**
   * The index of the first history message to keep.
   *
   * @param prefix messages always sent first (system prompt, examples)
   * @param history the conversation, oldest first, ending with the message being sent
   * @param budget the most tokens the prompt may take
   * @param counter the size in tokens of a whole prompt
   * @throws ContextLengthExceededException if the prefix and the newest turn alone exceed the budget
   */
  static int keepFrom(List<Message> prefix, List<Message> history, int budget, ToIntFunction<List<Message>> counter) {
    List<Integer> starts = turnStarts(history);
    if (starts.isEmpty()) {
      return 0;
    }
    // Binary search for the oldest turn start whose suffix fits; sizes shrink as the start moves on.
    int lo = 0;
    int hi = starts.size() - 1;
    int newestSize = size(prefix, history, starts.get(hi), counter);
    if (newestSize > budget) {
      throw new ContextLengthExceededException("The prompt needs " + newestSize + " tokens (persona and the newest"
          + " message alone) but the conversation's budget is " + budget + " tokens. Shorten the message, or raise"
          + " the token budget (ConversationSettings.tokenBudget) if the model's context allows.",
          null, newestSize, budget, null);
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (size(prefix, history, starts.get(mid), counter) <= budget) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return starts.get(lo);
  }

  /** Indices where a turn starts: 0, and every user message after it. */
  static List<Integer> turnStarts(List<Message> history) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      if (i == 0 || history.get(i).role() == Role.USER) {
        starts.add(i);
      }
    }
    return starts;
  }

  private static int size(List<Message> prefix, List<Message> history, int from,
      ToIntFunction<List<Message>> counter) {
    List<Message> all = new ArrayList<>(prefix.size() + history.size() - from);
    all.addAll(prefix);
    all.addAll(history.subList(from, history.size()));
    return counter.applyAsInt(all);
  }
}

package dev.banter.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ContextLengthExceededException;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ToolCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ConversationWindowProperties {
  private static final List<Message> PREFIX = List.of(Message.system("You are a test persona with a system prompt."));
  private static final ToIntFunction<List<Message>> COUNTER = TokenEstimator::estimate;

  @Provide
  Arbitrary<List<Message>> histories() {
    Arbitrary<List<Message>> turn = Combinators.combine(
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(120),
        Arbitraries.integers().between(0, 3),
        Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(120),
        Arbitraries.integers().between(0, 9999))
        .as((user, toolCalls, answer, id) -> {
          List<Message> t = new ArrayList<>();
          t.add(Message.user(user));
          if (toolCalls > 0) {
            List<ToolCall> calls = new ArrayList<>();
            for (int i = 0; i < toolCalls; i++) {
              calls.add(new ToolCall("call_" + id + "_" + i, "lookup", "{\"q\":\"" + user.length() + "\"}"));
            }
            t.add(Message.assistant("", calls));
            for (ToolCall c : calls) {
              t.add(Message.tool(c.id(), "result of " + c.id()));
            }
          }
          t.add(Message.assistant(answer));
          return t;
        });
    return turn.list().ofMinSize(1).ofMaxSize(25).map(turns -> {
      List<Message> all = new ArrayList<>();
      turns.forEach(all::addAll);
      all.add(Message.user("the newest question"));
      return all;
    });
  }

  @Property
  void the_kept_window_respects_the_budget_and_keeps_the_newest_turns(
      @ForAll("histories") List<Message> history, @ForAll @IntRange(min = 40, max = 2000) int budget) {
    int newestTurn = history.size() - 1;
    int minimal = size(history.subList(newestTurn, history.size()));
    if (minimal > budget) {
      assertThrows(ContextLengthExceededException.class,
          () -> ConversationWindow.keepFrom(PREFIX, history, budget, COUNTER));
      return;
    }
    int from = ConversationWindow.keepFrom(PREFIX, history, budget, COUNTER);
    List<Message> kept = history.subList(from, history.size());
    assertTrue(size(kept) <= budget, "over budget");
    assertEquals(history.get(history.size() - 1), kept.get(kept.size() - 1), "the newest message is kept");
    assertTrue(from == 0 || history.get(from).role() == Role.USER, "the window starts at a turn");
    int previousTurn = previousTurnStart(history, from);
    if (previousTurn >= 0) {
      assertTrue(size(history.subList(previousTurn, history.size())) > budget,
          "an older turn would still have fitted: the window is not maximal");
    }
  }

  @Property
  void tool_calls_and_their_results_stay_together(
      @ForAll("histories") List<Message> history, @ForAll @IntRange(min = 60, max = 800) int budget) {
    if (size(history.subList(history.size() - 1, history.size())) > budget) {
      return;
    }
    int from = ConversationWindow.keepFrom(PREFIX, history, budget, COUNTER);
    List<Message> kept = history.subList(from, history.size());
    Set<String> calls = new HashSet<>();
    Set<String> results = new HashSet<>();
    for (Message m : kept) {
      m.toolCalls().forEach(c -> calls.add(c.id()));
      m.toolCallId().ifPresent(results::add);
    }
    assertEquals(calls, results, "every kept call has its result and every kept result its call");
  }

  @Property
  void the_system_prompt_is_always_part_of_the_prompt(@ForAll("histories") List<Message> history) {
    List<List<Message>> seen = new ArrayList<>();
    ToIntFunction<List<Message>> spy = msgs -> {
      seen.add(msgs);
      return COUNTER.applyAsInt(msgs);
    };
    try {
      ConversationWindow.keepFrom(PREFIX, history, 300, spy);
    } catch (ContextLengthExceededException ignored) {
      // still every counted prompt started with the system prompt
    }
    for (List<Message> prompt : seen) {
      assertEquals(PREFIX.get(0), prompt.get(0));
    }
  }

  private static int previousTurnStart(List<Message> history, int from) {
    for (int i = from - 1; i >= 0; i--) {
      if (i == 0 || history.get(i).role() == Role.USER) {
        return i;
      }
    }
    return -1;
  }

  private static int size(List<Message> tail) {
    List<Message> all = new ArrayList<>(PREFIX);
    all.addAll(tail);
    return COUNTER.applyAsInt(all);
  }
}

package dev.banter.cli;

import dev.banter.api.ChatResponse;
import dev.banter.api.FinishReason;
import dev.banter.api.Usage;
import java.util.Locale;

/** The one-line summary printed after an answer: tokens, speed, time to first token, why it ended. */
final class Stats {
  private Stats() {}

  static String line(ChatResponse r) {
    StringBuilder sb = new StringBuilder("[");
    r.usage().map(Usage::completionTokens).filter(n -> n > 0)
        .ifPresent(n -> sb.append(n).append(n == 1 ? " token" : " tokens"));
    r.timings().ifPresent(t -> {
      t.tokensPerSecond().ifPresent(rate -> sep(sb).append(String.format(Locale.ROOT, "%.1f tokens/s", rate)));
      sep(sb).append("first token ").append(t.timeToFirstToken().toMillis()).append(" ms");
    });
    sep(sb).append("finish: ").append(r.finishReason().name().toLowerCase(Locale.ROOT));
    if (r.finishReason() == FinishReason.LENGTH) {
      sb.append(" (token limit)");
    }
    return sb.append(']').toString();
  }

  private static StringBuilder sep(StringBuilder sb) {
    return sb.length() > 1 ? sb.append(", ") : sb;
  }
}

package dev.banter.local.chat;

import java.util.List;

/**
 * gpt-oss's harmony format: messages {@code <|channel|>C<|message|>...<|end|>}, each after the
 * first opened by {@code <|start|>assistant}. The {@code analysis} channel is reasoning,
 * {@code final} the answer, and a {@code commentary} message addressed {@code to=functions.N}
 * (with {@code <|constrain|>json}) is a call whose body is the JSON arguments, ended by
 * {@code <|call|>}.
 */
final class HarmonyFormat implements BodyFormat {
  private static final String START = "<|start|>";
  private static final String CHANNEL = "<|channel|>";
  private static final String MESSAGE = "<|message|>";
  private static final List<String> OPENERS = List.of(START, CHANNEL);
  private static final List<String> ENDS = List.of("<|end|>", "<|call|>", "<|return|>", START, CHANNEL);

  @Override
  public void parse(String s, Draft out) {
    int i = 0;
    int n = s.length();
    while (i < n) {
      int header;
      if (s.startsWith(START, i)) {
        header = i + START.length();
      } else if (s.startsWith(CHANNEL, i)) {
        header = i;
      } else {
        int next = nextOf(s, i, OPENERS);
        if (next < 0) {
          out.content.append(s, i, out.partial ? Draft.holdBack(s, i, OPENERS) : n);
          return;
        }
        out.content.append(s, i, next);
        i = next;
        continue;
      }
      int message = s.indexOf(MESSAGE, header);
      int restart = s.indexOf(START, header);
      if (message < 0 || (restart >= 0 && restart < message)) {
        if (restart < 0 && out.partial) {
          return;
        }
        // A header that never reaches <|message|> is no message: it stays text.
        int stop = restart >= 0 ? restart : n;
        out.content.append(s, i, stop);
        i = stop;
        continue;
      }
      String head = s.substring(header, message);
      int body = message + MESSAGE.length();
      int end = nextOf(s, body, ENDS);
      int bodyEnd = end >= 0 ? end : out.partial ? Draft.holdBack(s, body, ENDS) : n;
      boolean complete = end >= 0 || !out.partial;
      String text = s.substring(body, bodyEnd);
      String recipient = recipient(head);
      if (!recipient.isEmpty()) {
        call(recipient, text, complete, out);
      } else if ("analysis".equals(channel(head))) {
        out.reasoning.append(text);
      } else {
        out.content.append(text);
      }
      if (end < 0) {
        return;
      }
      i = end;
      for (String e : List.of("<|end|>", "<|call|>", "<|return|>")) {
        if (s.startsWith(e, i)) {
          i += e.length();
        }
      }
    }
  }

  private static void call(String recipient, String text, boolean complete, Draft out) {
    String name = recipient.startsWith("functions.") ? recipient.substring("functions.".length()) : recipient;
    String arguments = Texts.strip(text);
    if (complete) {
      if (arguments.startsWith("{") && JsonScan.isValue(arguments) && Formats.plausibleName(name)) {
        out.calls.add(new Draft.Call("", name, arguments, true));
      } else {
        out.content.append(text);
      }
    } else if (arguments.startsWith("{") && JsonScan.value(arguments, 0) != JsonScan.INVALID && Formats.plausibleName(name)) {
      out.calls.add(new Draft.Call("", name, arguments, false));
    }
  }

  private static String channel(String head) {
    int c = head.indexOf(CHANNEL);
    if (c < 0) {
      return "";
    }
    int from = c + CHANNEL.length();
    int to = from;
    while (to < head.length() && !Character.isWhitespace(head.charAt(to)) && head.charAt(to) != '<') {
      to++;
    }
    return head.substring(from, to);
  }

  private static String recipient(String head) {
    int t = head.indexOf("to=");
    if (t < 0) {
      return "";
    }
    int from = t + 3;
    int to = from;
    while (to < head.length() && !Character.isWhitespace(head.charAt(to)) && head.charAt(to) != '<') {
      to++;
    }
    return head.substring(from, to);
  }

  private static int nextOf(String s, int from, List<String> markers) {
    int at = -1;
    for (String m : markers) {
      int k = s.indexOf(m, from);
      if (k >= 0 && (at < 0 || k < at)) {
        at = k;
      }
    }
    return at;
  }
}

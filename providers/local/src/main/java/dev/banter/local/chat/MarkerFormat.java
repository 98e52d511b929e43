package dev.banter.local.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * A format where tool calls are blocks that open with a marker ({@code <tool_call>},
 * {@code [TOOL_CALLS]}, ...) anywhere in the text; everything else is answer text. A block that
 * does not read as calls stays text, marker included.
 */
abstract class MarkerFormat implements BodyFormat {
  private final List<String> markers;
  private final List<String> dropped;
  private final List<String> all;

  /**
   * @param markers the texts that open a block of calls
   * @param dropped texts removed from the answer (wrappers such as Granite's {@code <response>})
   */
  MarkerFormat(List<String> markers, List<String> dropped) {
    this.markers = List.copyOf(markers);
    this.dropped = List.copyOf(dropped);
    List<String> both = new ArrayList<>(markers);
    both.addAll(dropped);
    this.all = List.copyOf(both);
  }

  /**
   * Reads the block whose marker {@code marker} ends at {@code i}; adds its calls to {@code out}
   * and returns the block's end, {@link Draft#PARTIAL} or {@link Draft#INVALID}.
   */
  abstract int block(String s, int i, String marker, Draft out);

  /** Reads one call that opens at {@code at}; returns where it ends, or a negative {@link Draft} code. */
  interface CallReader {
    int read(String s, int at, Draft out);
  }

  /**
   * A section of calls from {@code i}: calls opening with {@code callBegin}, each read by
   * {@code call}, until {@code sectionEnd} (DeepSeek's and Kimi K2's shape). An empty section is
   * invalid; text that may still become a marker is held back while more output may follow.
   *
   * @return where the section ends, or a negative {@link Draft} code
   */
  static int section(String s, int i, Draft out, String sectionEnd, String callBegin, CallReader call) {
    int j = i;
    boolean first = true;
    while (true) {
      j = JsonScan.skipSpace(s, j);
      if (j >= s.length()) {
        return first || out.partial ? out.ended() : j;
      }
      if (s.startsWith(sectionEnd, j)) {
        return first ? Draft.INVALID : j + sectionEnd.length();
      }
      if (!s.startsWith(callBegin, j)) {
        if (sectionEnd.startsWith(s.substring(j)) || callBegin.startsWith(s.substring(j))) {
          return out.ended();
        }
        return first ? Draft.INVALID : j;
      }
      j = call.read(s, j, out);
      if (j < 0) {
        return j;
      }
      first = false;
    }
  }

  @Override
  public boolean resumable() {
    return true;
  }

  @Override
  public void parse(String s, Draft out) {
    int i = 0;
    while (i <= s.length()) {
      int at = -1;
      String found = null;
      for (String m : all) {
        int k = s.indexOf(m, i);
        if (k >= 0 && (at < 0 || k < at)) {
          at = k;
          found = m;
        }
      }
      if (at < 0) {
        int end = out.partial ? Draft.holdBack(s, i, all) : s.length();
        out.content.append(s, i, end);
        out.safeAt(end);
        return;
      }
      out.content.append(s, i, at);
      out.safeAt(at);
      int after = at + found.length();
      if (!markers.contains(found)) {
        i = after;
        out.safeAt(i);
        continue;
      }
      int calls = out.calls.size();
      int end = block(s, after, found, out);
      if (end == Draft.PARTIAL) {
        return;
      }
      if (end == Draft.INVALID) {
        out.calls.subList(calls, out.calls.size()).clear();
        out.content.append(found);
        i = after;
      } else {
        i = end;
      }
      out.safeAt(i);
    }
  }
}

package dev.banter.local.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads tool calls written as JSON objects ({@code {"name": N, "arguments": A}} and its variants)
 * and arrays of them, member by member so that a call's name is known and its arguments stream as
 * soon as they appear, while text that cannot be such an object is recognised early.
 */
final class CallObjects {
  /**
   * The member names of one format's call objects.
   *
   * @param name the key of the function name
   * @param arguments the keys that may hold the arguments, in order of preference
   * @param id the key of the call id, or empty when the format has none
   * @param only when non-empty, the only keys allowed: any other key means the object is no call
   * @param streams whether arguments may stream before the object is complete (false when the id
   *     follows the arguments, as a call can only be announced with its id)
   */
  record Keys(String name, List<String> arguments, String id, Set<String> only, boolean streams) {
    static Keys of(String argumentsKey) {
      return new Keys("name", List.of(argumentsKey), "", Set.of(), true);
    }
  }

  private record Member(String key, int valueStart, int valueEnd) {}

  private CallObjects() {}

  /**
   * Reads the call object whose {@code '{'} is at {@code i}, adds it (complete, or as far as it is
   * known) to {@code out}, and returns its end, {@link Draft#PARTIAL} or {@link Draft#INVALID}.
   */
  static int object(String s, int i, Draft out, Keys keys) {
    List<Member> members = new ArrayList<>();
    int n = s.length();
    int j = JsonScan.skipSpace(s, i + 1);
    int end = Draft.PARTIAL;
    while (j < n) {
      if (s.charAt(j) == '}' && members.isEmpty()) {
        end = j + 1;
        break;
      }
      if (s.charAt(j) != '"') {
        return Draft.INVALID;
      }
      int keyEnd = JsonScan.string(s, j);
      if (keyEnd == JsonScan.INVALID) {
        return Draft.INVALID;
      }
      if (keyEnd < 0) {
        break;
      }
      String key = Draft.decode(s.substring(j, keyEnd));
      if (key == null || (!keys.only().isEmpty() && !keys.only().contains(key))) {
        return Draft.INVALID;
      }
      j = JsonScan.skipSpace(s, keyEnd);
      if (j >= n) {
        break;
      }
      if (s.charAt(j) != ':') {
        return Draft.INVALID;
      }
      j = JsonScan.skipSpace(s, j + 1);
      int valueEnd = JsonScan.value(s, j);
      if (valueEnd == JsonScan.INVALID) {
        return Draft.INVALID;
      }
      members.add(new Member(key, j, valueEnd));
      if (valueEnd < 0) {
        break;
      }
      j = JsonScan.skipSpace(s, valueEnd);
      if (j >= n) {
        break;
      }
      char c = s.charAt(j);
      if (c == '}') {
        end = j + 1;
        break;
      }
      if (c != ',') {
        return Draft.INVALID;
      }
      j = JsonScan.skipSpace(s, j + 1);
    }
    return end >= 0 ? complete(s, members, end, out, keys) : partial(s, members, out, keys);
  }

  private static int complete(String s, List<Member> members, int end, Draft out, Keys keys) {
    String name = null;
    String id = "";
    String arguments = null;
    int argumentsRank = Integer.MAX_VALUE;
    for (Member m : members) {
      String value = s.substring(m.valueStart(), m.valueEnd());
      if (m.key().equals(keys.name())) {
        name = Draft.decode(value);
      } else if (m.key().equals(keys.id()) && !keys.id().isEmpty()) {
        String decoded = Draft.decode(value);
        id = decoded == null ? "" : decoded;
      } else if (keys.arguments().contains(m.key()) && keys.arguments().indexOf(m.key()) < argumentsRank) {
        argumentsRank = keys.arguments().indexOf(m.key());
        arguments = arguments(value);
        if (arguments == null) {
          return Draft.INVALID;
        }
      }
    }
    if (name == null || name.isEmpty() || arguments == null) {
      return Draft.INVALID;
    }
    out.calls.add(new Draft.Call(id, name, arguments, true));
    return end;
  }

  /** The arguments as JSON object text: an object as written, a string holding an object decoded. */
  private static String arguments(String value) {
    if (value.startsWith("{")) {
      return value;
    }
    if (value.startsWith("\"")) {
      String decoded = Draft.decode(value);
      if (decoded != null && Texts.strip(decoded).startsWith("{") && JsonScan.isValue(Texts.strip(decoded))) {
        return Texts.strip(decoded);
      }
    }
    return null;
  }

  private static int partial(String s, List<Member> members, Draft out, Keys keys) {
    if (!out.partial) {
      return Draft.INVALID;
    }
    if (!keys.streams()) {
      return Draft.PARTIAL;
    }
    String name = null;
    String arguments = "";
    for (Member m : members) {
      if (m.key().equals(keys.name()) && m.valueEnd() >= 0) {
        name = Draft.decode(s.substring(m.valueStart(), m.valueEnd()));
      } else if (keys.arguments().indexOf(m.key()) == 0 && name != null && s.startsWith("{", m.valueStart())) {
        arguments = s.substring(m.valueStart(), m.valueEnd() >= 0 ? m.valueEnd() : s.length());
      }
    }
    if (name != null && !name.isEmpty()) {
      out.calls.add(new Draft.Call("", name, arguments, false));
    }
    return Draft.PARTIAL;
  }

  /**
   * Reads a JSON array of call objects whose {@code '['} is at {@code i}; returns its end,
   * {@link Draft#PARTIAL} or {@link Draft#INVALID}. An empty array is no call.
   */
  static int array(String s, int i, Draft out, Keys keys) {
    int j = JsonScan.skipSpace(s, i + 1);
    while (true) {
      if (j >= s.length()) {
        return out.ended();
      }
      if (s.charAt(j) != '{') {
        return Draft.INVALID;
      }
      int end = object(s, j, out, keys);
      if (end < 0) {
        return end;
      }
      j = JsonScan.skipSpace(s, end);
      if (j >= s.length()) {
        return out.ended();
      }
      if (s.charAt(j) == ']') {
        return j + 1;
      }
      if (s.charAt(j) != ',') {
        return Draft.INVALID;
      }
      j = JsonScan.skipSpace(s, j + 1);
    }
  }
}

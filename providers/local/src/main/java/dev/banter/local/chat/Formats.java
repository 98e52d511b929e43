package dev.banter.local.chat;

import dev.banter.template.Json;
import dev.banter.template.JsonException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The answer formats of the families whose tool calls open with a marker. */
final class Formats {
  private Formats() {}

  /**
   * Reads arguments written as a JSON object at {@code a} (after whitespace) for a call whose id
   * and name are known; adds the call, as far as written, and returns the arguments' end.
   */
  static int arguments(String s, int a, String id, String name, Draft out) {
    a = JsonScan.skipSpace(s, a);
    if (a >= s.length()) {
      return out.ended();
    }
    if (s.charAt(a) != '{') {
      return Draft.INVALID;
    }
    int end = JsonScan.value(s, a);
    if (end == JsonScan.INVALID) {
      return Draft.INVALID;
    }
    if (end < 0) {
      if (out.partial) {
        out.calls.add(new Draft.Call(id, name, s.substring(a), false));
      }
      return out.ended();
    }
    out.calls.add(new Draft.Call(id, name, s.substring(a, end), true));
    return end;
  }

  /** Where the text ends after an optional closing {@code literal} at {@code i} (whitespace first). */
  static int closing(String s, int i, String literal, Draft out) {
    int k = JsonScan.skipSpace(s, i);
    if (k >= s.length()) {
      return out.partial ? Draft.PARTIAL : k;
    }
    return out.expect(s, k, literal);
  }

  /** Whether {@code name} can be a function name (and not, say, a sentence). */
  static boolean plausibleName(String name) {
    return !name.isEmpty() && name.length() <= 128 && name.chars().allMatch(c -> c > ' ' && c != '<' && c != '>'
        && c != '{' && c != '[');
  }

  /** Hermes 2 Pro, Qwen 2.5 and Qwen 3: {@code <tool_call>\n{"name": N, "arguments": A}\n</tool_call>}. */
  static final class Hermes extends MarkerFormat {
    private static final CallObjects.Keys KEYS = CallObjects.Keys.of("arguments");

    Hermes() {
      super(List.of("<tool_call>"), List.of());
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      int j = JsonScan.skipSpace(s, i);
      if (j >= s.length()) {
        return out.ended();
      }
      if (s.charAt(j) != '{') {
        return Draft.INVALID;
      }
      int end = CallObjects.object(s, j, out, KEYS);
      if (end < 0) {
        return end;
      }
      int k = JsonScan.skipSpace(s, end);
      return s.startsWith("<tool_call>", k) ? k : closing(s, end, "</tool_call>", out);
    }
  }

  /** Granite 3.x: {@code <|tool_call|>[{"name": N, "arguments": A}, ...]}; the answer may sit in {@code <response>}. */
  static final class Granite extends MarkerFormat {
    private static final CallObjects.Keys KEYS = CallObjects.Keys.of("arguments");

    Granite() {
      super(List.of("<|tool_call|>"), List.of("<response>", "</response>"));
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      int j = JsonScan.skipSpace(s, i);
      if (j >= s.length()) {
        return out.ended();
      }
      char c = s.charAt(j);
      return c == '[' ? CallObjects.array(s, j, out, KEYS) : c == '{' ? CallObjects.object(s, j, out, KEYS) : Draft.INVALID;
    }
  }

  /**
   * Mistral: {@code [TOOL_CALLS][{"name": N, "arguments": A, "id": I}]} (Nemo, Small 3.1; the id is
   * optional), or {@code [TOOL_CALLS]N[CALL_ID]I[ARGS]A} / {@code [TOOL_CALLS]N[ARGS]A} (newer models).
   */
  static final class Mistral extends MarkerFormat {
    private static final CallObjects.Keys KEYS = new CallObjects.Keys("name", List.of("arguments"), "id", Set.of(), false);

    Mistral() {
      super(List.of("[TOOL_CALLS]"), List.of());
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      int j = JsonScan.skipSpace(s, i);
      if (j >= s.length()) {
        return out.ended();
      }
      if (s.charAt(j) == '[') {
        return CallObjects.array(s, j, out, KEYS);
      }
      if (s.charAt(j) == '{') {
        return CallObjects.object(s, j, out, KEYS);
      }
      int k = j;
      while (k < s.length() && s.charAt(k) != '[') {
        k++;
      }
      String name = Texts.strip(s.substring(j, k));
      if (!plausibleName(name)) {
        return Draft.INVALID;
      }
      if (k >= s.length()) {
        return out.ended();
      }
      String id = "";
      if (s.length() - k < "[CALL_ID]".length() && "[CALL_ID]".startsWith(s.substring(k))) {
        return out.ended();
      }
      if (s.startsWith("[CALL_ID]", k)) {
        int a = s.indexOf("[ARGS]", k);
        if (a < 0) {
          return s.length() - k > 64 ? Draft.INVALID : out.ended();
        }
        id = Texts.strip(s.substring(k + "[CALL_ID]".length(), a));
        k = a;
      }
      int a = out.expect(s, k, "[ARGS]");
      return a < 0 ? a : arguments(s, a, id, name, out);
    }
  }

  /**
   * DeepSeek R1 ({@code <｜tool▁call▁begin｜>function<｜tool▁sep｜>N\n```json\nA\n```<｜tool▁call▁end｜>}) and
   * V3.1 ({@code <｜tool▁call▁begin｜>N<｜tool▁sep｜>A<｜tool▁call▁end｜>}), inside
   * {@code <｜tool▁calls▁begin｜>...<｜tool▁calls▁end｜>}.
   */
  static final class DeepSeek extends MarkerFormat {
    static final String CALLS_BEGIN = "<｜tool▁calls▁begin｜>";
    static final String CALLS_END = "<｜tool▁calls▁end｜>";
    static final String CALL_BEGIN = "<｜tool▁call▁begin｜>";
    static final String CALL_END = "<｜tool▁call▁end｜>";
    static final String SEP = "<｜tool▁sep｜>";

    DeepSeek() {
      super(List.of(CALLS_BEGIN), List.of());
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      return section(s, i, out, CALLS_END, CALL_BEGIN, (text, at, o) -> call(text, at + CALL_BEGIN.length(), o));
    }

    private static int call(String s, int i, Draft out) {
      int sep = s.indexOf(SEP, i);
      if (sep < 0) {
        return s.length() - i > 128 ? Draft.INVALID : out.ended();
      }
      String header = Texts.strip(s.substring(i, sep));
      int j = sep + SEP.length();
      String name;
      if (header.equals("function")) {
        int nl = s.indexOf('\n', j);
        if (nl < 0) {
          return s.length() - j > 128 ? Draft.INVALID : out.ended();
        }
        name = Texts.strip(s.substring(j, nl));
        j = out.expect(s, JsonScan.skipSpace(s, nl), "```json");
        if (j < 0) {
          return j;
        }
      } else {
        name = header;
      }
      if (!plausibleName(name)) {
        return Draft.INVALID;
      }
      int end = arguments(s, j, "", name, out);
      if (end < 0) {
        return end;
      }
      if (header.equals("function")) {
        end = out.expect(s, JsonScan.skipSpace(s, end), "```");
        if (end < 0) {
          return end;
        }
      }
      return out.expect(s, JsonScan.skipSpace(s, end), CALL_END);
    }
  }

  /**
   * Kimi K2: {@code <|tool_calls_section_begin|><|tool_call_begin|>functions.N:0<|tool_call_argument_begin|>A
   * <|tool_call_end|>...<|tool_calls_section_end|>}; the id is {@code functions.N:0}.
   */
  static final class Kimi extends MarkerFormat {
    static final String SECTION_BEGIN = "<|tool_calls_section_begin|>";
    static final String SECTION_END = "<|tool_calls_section_end|>";
    static final String CALL_BEGIN = "<|tool_call_begin|>";
    static final String ARGUMENT_BEGIN = "<|tool_call_argument_begin|>";
    static final String CALL_END = "<|tool_call_end|>";

    Kimi() {
      super(List.of(SECTION_BEGIN), List.of());
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      return section(s, i, out, SECTION_END, CALL_BEGIN, Kimi::call);
    }

    private static int call(String s, int j, Draft out) {
      int a = s.indexOf(ARGUMENT_BEGIN, j);
      if (a < 0) {
        return s.length() - j > 160 ? Draft.INVALID : out.ended();
      }
      String id = Texts.strip(s.substring(j + CALL_BEGIN.length(), a));
      String name = id.startsWith("functions.") ? id.substring("functions.".length()) : id;
      int colon = name.lastIndexOf(':');
      if (colon > 0 && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        name = name.substring(0, colon);
      }
      if (!plausibleName(name)) {
        return Draft.INVALID;
      }
      int end = arguments(s, a + ARGUMENT_BEGIN.length(), id, name, out);
      if (end < 0) {
        return end;
      }
      return out.expect(s, JsonScan.skipSpace(s, end), CALL_END);
    }
  }

  /**
   * GLM 4.5 and later: {@code <tool_call>N\n<arg_key>K</arg_key>\n<arg_value>V</arg_value>\n</tool_call>}; a
   * value that reads as JSON (other than a string) is that JSON value, anything else a string.
   * Arguments are collected whole, so a call appears when its block closes.
   */
  static final class Glm extends MarkerFormat {
    Glm() {
      super(List.of("<tool_call>"), List.of());
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      int k = i;
      while (k < s.length() && s.charAt(k) != '\n' && s.charAt(k) != '<') {
        k++;
      }
      String name = Texts.strip(s.substring(i, k));
      if (k >= s.length()) {
        return plausibleName(name) || name.isEmpty() ? out.ended() : Draft.INVALID;
      }
      if (!plausibleName(name)) {
        return Draft.INVALID;
      }
      Map<String, Object> arguments = new LinkedHashMap<>();
      int j = k;
      while (true) {
        j = JsonScan.skipSpace(s, j);
        if (j >= s.length()) {
          return out.ended();
        }
        if (s.startsWith("</tool_call>", j)) {
          out.calls.add(new Draft.Call("", name, JsonScan.write(arguments), true));
          return j + "</tool_call>".length();
        }
        if ("</tool_call>".startsWith(s.substring(j))) {
          return out.ended();
        }
        j = out.expect(s, j, "<arg_key>");
        if (j < 0) {
          return j;
        }
        int keyEnd = s.indexOf("</arg_key>", j);
        if (keyEnd < 0) {
          return out.ended();
        }
        String key = Texts.strip(s.substring(j, keyEnd));
        j = out.expect(s, JsonScan.skipSpace(s, keyEnd + "</arg_key>".length()), "<arg_value>");
        if (j < 0) {
          return j;
        }
        int valueEnd = s.indexOf("</arg_value>", j);
        if (valueEnd < 0) {
          return out.ended();
        }
        arguments.put(key, tagValue(s.substring(j, valueEnd)));
        j = valueEnd + "</arg_value>".length();
      }
    }

  }

  /** A value written between tags: JSON when it reads as JSON other than a string, else the text itself. */
  static Object tagValue(String text) {
    String t = Texts.strip(text);
    if (!t.startsWith("\"") && JsonScan.isValue(t)) {
      try {
        return Json.parse(t);
      } catch (JsonException e) {
        return text;
      }
    }
    return text;
  }

  /**
   * Qwen3-Coder, Qwen 3.5, Nemotron 3: {@code <tool_call>\n<function=N>\n<parameter=K>\nV\n</parameter>\n
   * </function>\n</tool_call>}; values as in {@link #tagValue}, without the newline on either side.
   * Arguments are collected whole, so a call appears when its block closes.
   */
  static final class QwenXml extends MarkerFormat {
    private static final String FUNCTION = "<function=";
    private static final String FUNCTION_END = "</function>";
    private static final String PARAMETER = "<parameter=";
    private static final String PARAMETER_END = "</parameter>";
    private static final String END = "</tool_call>";

    QwenXml() {
      super(List.of("<tool_call>"), List.of());
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      int j = out.expect(s, JsonScan.skipSpace(s, i), FUNCTION);
      if (j < 0) {
        return j;
      }
      int gt = s.indexOf('>', j);
      if (gt < 0) {
        return s.length() - j > 128 ? Draft.INVALID : out.ended();
      }
      String name = Texts.strip(s.substring(j, gt));
      if (!plausibleName(name)) {
        return Draft.INVALID;
      }
      Map<String, Object> arguments = new LinkedHashMap<>();
      j = gt + 1;
      while (true) {
        j = JsonScan.skipSpace(s, j);
        if (j >= s.length()) {
          return out.ended();
        }
        if (s.startsWith(FUNCTION_END, j)) {
          int k = JsonScan.skipSpace(s, j + FUNCTION_END.length());
          if (k >= s.length() && out.partial) {
            return Draft.PARTIAL;
          }
          int end = k >= s.length() ? k : out.expect(s, k, END);
          if (end >= 0) {
            out.calls.add(new Draft.Call("", name, JsonScan.write(arguments), true));
          }
          return end;
        }
        if (s.length() - j < FUNCTION_END.length() && FUNCTION_END.startsWith(s.substring(j))) {
          return out.ended();
        }
        j = out.expect(s, j, PARAMETER);
        if (j < 0) {
          return j;
        }
        int keyEnd = s.indexOf('>', j);
        if (keyEnd < 0) {
          return s.length() - j > 128 ? Draft.INVALID : out.ended();
        }
        String key = Texts.strip(s.substring(j, keyEnd));
        int valueEnd = s.indexOf(PARAMETER_END, keyEnd + 1);
        if (valueEnd < 0) {
          return out.ended();
        }
        String value = s.substring(keyEnd + 1, valueEnd);
        if (value.startsWith("\n")) {
          value = value.substring(1);
        }
        if (value.endsWith("\n")) {
          value = value.substring(0, value.length() - 1);
        }
        arguments.put(key, tagValue(value));
        j = valueEnd + PARAMETER_END.length();
      }
    }
  }
}

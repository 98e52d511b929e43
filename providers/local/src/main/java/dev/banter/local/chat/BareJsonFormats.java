package dev.banter.local.chat;

import dev.banter.template.Json;
import dev.banter.template.JsonException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The formats whose tool calls are bare JSON at the start of the answer: Llama 3.x and the generic one. */
final class BareJsonFormats {
  private BareJsonFormats() {}

  /**
   * Llama 3.1 to 3.3: the answer is {@code {"name": N, "parameters": A}} (several separated by
   * {@code ;} or whitespace), or text; {@code <|python_tag|>} opens a built-in tool call
   * ({@code brave_search.call(query="...")}, or Python code for {@code code_interpreter}).
   */
  static final class Llama3 implements BodyFormat {
    static final CallObjects.Keys KEYS = new CallObjects.Keys("name", List.of("parameters", "arguments"), "",
        Set.of("type", "name", "parameters", "arguments"), true);
    private final PythonTag pythonTag = new PythonTag();

    @Override
    public void parse(String s, Draft out) {
      int j = JsonScan.skipSpace(s, 0);
      if (j >= s.length() || s.charAt(j) != '{') {
        pythonTag.parse(s, out);
        return;
      }
      while (true) {
        int calls = out.calls.size();
        int end = CallObjects.object(s, j, out, KEYS);
        if (end == Draft.PARTIAL) {
          return;
        }
        if (end == Draft.INVALID) {
          out.calls.subList(calls, out.calls.size()).clear();
          pythonTag.parse(s.substring(j), out);
          return;
        }
        int k = JsonScan.skipSpace(s, end);
        if (k < s.length() && s.charAt(k) == ';') {
          k = JsonScan.skipSpace(s, k + 1);
        }
        if (k < s.length() && s.charAt(k) == '{') {
          j = k;
          continue;
        }
        pythonTag.parse(s.substring(k), out);
        return;
      }
    }
  }

  /** {@code <|python_tag|>} and what follows it, to the end of the answer. */
  static final class PythonTag extends MarkerFormat {
    private static final Pattern BUILTIN = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\.call\\((.*)\\)", Pattern.DOTALL);
    private static final Pattern KWARG = Pattern.compile(
        "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|[^,]*)\\s*(,|$)", Pattern.DOTALL);

    PythonTag() {
      super(List.of("<|python_tag|>"), List.of());
    }

    @Override
    int block(String s, int i, String marker, Draft out) {
      if (out.partial) {
        return Draft.PARTIAL;
      }
      String code = Texts.strip(s.substring(i));
      if (code.startsWith("{")) {
        int end = CallObjects.object(code, 0, out, Llama3.KEYS);
        return end == code.length() ? s.length() : Draft.INVALID;
      }
      Matcher m = BUILTIN.matcher(code);
      if (m.matches()) {
        Map<String, Object> arguments = kwargs(m.group(2));
        if (arguments != null) {
          out.calls.add(new Draft.Call("", m.group(1), JsonScan.write(arguments), true));
          return s.length();
        }
      }
      if (code.isEmpty()) {
        return Draft.INVALID;
      }
      out.calls.add(new Draft.Call("", "code_interpreter", JsonScan.write(Map.of("code", code)), true));
      return s.length();
    }

    private static Map<String, Object> kwargs(String text) {
      Map<String, Object> arguments = new LinkedHashMap<>();
      Matcher m = KWARG.matcher(text);
      int at = 0;
      while (at < text.length() && !Texts.isBlank(text.substring(at))) {
        if (!m.find(at) || m.start() != at) {
          return null;
        }
        arguments.put(m.group(1), literal(Texts.strip(m.group(2))));
        at = m.end();
      }
      return arguments;
    }

    private static Object literal(String v) {
      if (v.startsWith("'") && v.endsWith("'") && v.length() >= 2) {
        return v.substring(1, v.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
      }
      if (v.equals("True") || v.equals("False")) {
        return v.equals("True");
      }
      if (v.equals("None")) {
        return null;
      }
      if (JsonScan.isValue(v)) {
        try {
          return Json.parse(v);
        } catch (JsonException e) {
          return v;
        }
      }
      return v;
    }
  }

  /**
   * For templates that know no tools: the answer is one JSON object, {@code {"tool_call": {"name":
   * N, "arguments": A}}}, {@code {"tool_calls": [...]}} or {@code {"response": "text"}} (a decoder
   * constrains the model to it); anything else is plain text.
   */
  static final class Generic implements BodyFormat {
    private static final CallObjects.Keys KEYS = CallObjects.Keys.of("arguments");

    @Override
    public void parse(String s, Draft out) {
      int j = JsonScan.skipSpace(s, 0);
      if (j >= s.length() || s.charAt(j) != '{') {
        out.content.append(s);
        return;
      }
      int length = out.content.length();
      int end = envelope(s, j, out);
      if (end == Draft.PARTIAL) {
        return;
      }
      if (end == Draft.INVALID) {
        out.calls.clear();
        out.content.setLength(length);
        out.content.append(s);
        return;
      }
      out.content.append(s, end, s.length());
    }

    /** Reads the object at {@code j}; returns its end, {@link Draft#PARTIAL} or {@link Draft#INVALID}. */
    private static int envelope(String s, int j, Draft out) {
      int k = JsonScan.skipSpace(s, j + 1);
      if (k >= s.length()) {
        return out.ended();
      }
      if (s.charAt(k) != '"') {
        return Draft.INVALID;
      }
      int keyEnd = JsonScan.string(s, k);
      if (keyEnd < 0) {
        return keyEnd == Draft.PARTIAL && "\"tool_call\"\"tool_calls\"\"response\"".contains(s.substring(k))
            ? out.ended() : Draft.INVALID;
      }
      String key = Draft.decode(s.substring(k, keyEnd));
      k = JsonScan.skipSpace(s, keyEnd);
      if (k >= s.length()) {
        return out.ended();
      }
      if (s.charAt(k) != ':') {
        return Draft.INVALID;
      }
      int v = JsonScan.skipSpace(s, k + 1);
      if (v >= s.length()) {
        return out.ended();
      }
      int valueEnd;
      if ("tool_call".equals(key) && s.charAt(v) == '{') {
        valueEnd = CallObjects.object(s, v, out, KEYS);
      } else if ("tool_calls".equals(key) && s.charAt(v) == '[') {
        valueEnd = CallObjects.array(s, v, out, KEYS);
      } else if ("response".equals(key)) {
        valueEnd = response(s, v, out);
      } else {
        return Draft.INVALID;
      }
      if (valueEnd < 0) {
        return valueEnd;
      }
      int close = JsonScan.skipSpace(s, valueEnd);
      if (close >= s.length()) {
        return out.ended();
      }
      return s.charAt(close) == '}' ? close + 1 : Draft.INVALID;
    }

    /** The response's text: a string (decoded as far as it goes while partial) or any other value as JSON. */
    private static int response(String s, int v, Draft out) {
      int end = JsonScan.value(s, v);
      if (end == JsonScan.INVALID) {
        return Draft.INVALID;
      }
      if (s.charAt(v) != '"') {
        if (end >= 0) {
          out.content.append(s, v, end);
        }
        return out.settle(end);
      }
      if (end >= 0) {
        out.content.append(Draft.decode(s.substring(v, end)));
        return end;
      }
      if (out.partial) {
        int stop = s.length();
        int backslash = s.lastIndexOf('\\');
        if (backslash > v) {
          int run = 0;
          for (int b = backslash; b > v && s.charAt(b) == '\\'; b--) {
            run++;
          }
          int escapeLength = s.charAt(backslash) == '\\' && backslash + 1 < s.length() && s.charAt(backslash + 1) == 'u' ? 6 : 2;
          if (run % 2 == 1 && backslash + escapeLength > s.length()) {
            stop = backslash;
          }
        }
        String decoded = Draft.decode(s.substring(v, stop) + "\"");
        if (decoded != null) {
          out.content.append(decoded);
        }
      }
      return out.ended();
    }
  }
}

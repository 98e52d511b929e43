package dev.banter.local.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Model outputs per family, with the message each must read as. */
final class Samples {
  /** An expected call: its name, its arguments as written, and its id when the output carries one (else null). */
  record Call(String name, String arguments, String id) {}

  /**
   * One output.
   *
   * @param clean whether it reads the same whether streamed or not, fragment by fragment (false
   *     where a call's markup breaks off after it started streaming)
   */
  record Sample(String name, ChatFormat format, String prompt, String output, String content, String reasoning,
      List<Call> calls, boolean clean) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final ChatFormat QWEN3 = ChatFormat.of(ToolCallFamily.HERMES, true);
  static final ChatFormat QWEN25 = ChatFormat.of(ToolCallFamily.HERMES, false);
  static final ChatFormat LLAMA3 = ChatFormat.of(ToolCallFamily.LLAMA3, false);
  static final ChatFormat MISTRAL = ChatFormat.of(ToolCallFamily.MISTRAL, false);
  static final ChatFormat GPT_OSS = ChatFormat.of(ToolCallFamily.GPT_OSS, false);
  static final ChatFormat GRANITE = ChatFormat.of(ToolCallFamily.GRANITE, true);
  static final ChatFormat DEEPSEEK = ChatFormat.of(ToolCallFamily.DEEPSEEK, true);
  static final ChatFormat KIMI = ChatFormat.of(ToolCallFamily.KIMI_K2, true);
  static final ChatFormat GLM = ChatFormat.of(ToolCallFamily.GLM_45, true);
  static final ChatFormat GENERIC = ChatFormat.of(ToolCallFamily.GENERIC, false);
  static final ChatFormat QWEN35 = ChatFormat.of(ToolCallFamily.QWEN3_CODER, true);

  static final String QWEN_PROMPT = "<|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\n";
  static final String OPEN_THINK_PROMPT = "<|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\n<think>\n";

  private Samples() {}

  static Call call(String name, String arguments) {
    return new Call(name, arguments, null);
  }

  static Call call(String name, String arguments, String id) {
    return new Call(name, arguments, id);
  }

  private static final List<Sample> ALL = new ArrayList<>();

  private static void add(String name, ChatFormat f, String prompt, String output, String content, String reasoning,
      Call... calls) {
    ALL.add(new Sample(name, f, prompt, output, content, reasoning, Arrays.asList(calls), true));
  }

  static {
    // Hermes / Qwen
    add("qwen3 reasoning then one call", QWEN3, QWEN_PROMPT,
        "<think>\nThe user wants the weather.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>",
        "", "The user wants the weather.", call("get_weather", "{\"city\": \"Oslo\"}"));
    add("qwen parallel calls after text", QWEN25, QWEN_PROMPT,
        "I'll check both.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>\n"
            + "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"Europe/Oslo\"}}\n</tool_call>",
        "I'll check both.", "", call("get_weather", "{\"city\": \"Oslo\"}"),
        call("get_time", "{\"zone\": \"Europe/Oslo\"}"));
    add("qwen markup that is no call stays text", QWEN25, QWEN_PROMPT,
        "Use <tool_call>\nnot json\n</tool_call> like this.", "Use <tool_call>\nnot json\n</tool_call> like this.", "");
    add("qwen output cut inside a call name is text", QWEN25, QWEN_PROMPT,
        "Sure. <tool_call>\n{\"name\": \"get_wea", "Sure. <tool_call>\n{\"name\": \"get_wea", "");
    add("qwen3 thinking opened by the prompt", QWEN3, OPEN_THINK_PROMPT,
        "The user wants the weather.\n</think>\n\nIt is sunny.", "It is sunny.", "The user wants the weather.");
    add("qwen3 thinking opened by the prompt, cut", QWEN3, OPEN_THINK_PROMPT,
        "Still thinking <about it", "", "Still thinking <about it");
    add("angle brackets that are no markup", QWEN3, QWEN_PROMPT,
        "a < b, and <tool is no tag; <think> is none here either", "a < b, and <tool is no tag; <think> is none here either", "");
    add("arguments holding the closing tag, nested values and unicode", QWEN25, QWEN_PROMPT,
        "<tool_call>\n{\"name\": \"echo\", \"arguments\": {\"text\": \"a </tool_call> b \\\"q\\\" \\u00e9 ü\", \"n\": [1, -2.5e3, {\"x\": null, \"t\": true}]}}\n</tool_call>",
        "", "", call("echo", "{\"text\": \"a </tool_call> b \\\"q\\\" \\u00e9 ü\", \"n\": [1, -2.5e3, {\"x\": null, \"t\": true}]}"));
    add("arguments given as a JSON string", QWEN25, QWEN_PROMPT,
        "<tool_call>\n{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}\n</tool_call>", "", "", call("f", "{\"a\": 1}"));
    add("name after arguments", QWEN25, QWEN_PROMPT,
        "<tool_call>\n{\"arguments\": {\"a\": [1, 2]}, \"name\": \"f\"}\n</tool_call>", "", "", call("f", "{\"a\": [1, 2]}"));
    add("plain answer", QWEN3, QWEN_PROMPT, "Hello there!\n\nHow can I help?", "Hello there!\n\nHow can I help?", "");
    // Llama 3.x
    add("llama3 one call", LLAMA3, "", "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}", "", "",
        call("get_weather", "{\"city\": \"Oslo\"}"));
    add("llama3 two calls", LLAMA3, "",
        "{\"type\": \"function\", \"name\": \"a\", \"parameters\": {}}; {\"name\": \"b\", \"parameters\": {\"x\": 1}}", "", "",
        call("a", "{}"), call("b", "{\"x\": 1}"));
    add("llama3 JSON that is no call is text", LLAMA3, "", "{\"answer\": 42, \"name\": \"x\"}", "{\"answer\": 42, \"name\": \"x\"}", "");
    add("llama3 built-in tool", LLAMA3, "", "<|python_tag|>brave_search.call(query=\"weather in Oslo\", count=3)", "", "",
        call("brave_search", "{\"query\": \"weather in Oslo\", \"count\": 3}"));
    add("llama3 code interpreter", LLAMA3, "", "<|python_tag|>print(1 + 1)", "", "",
        call("code_interpreter", "{\"code\": \"print(1 + 1)\"}"));
    add("llama3 text", LLAMA3, "", "Hello there", "Hello there", "");
    // Mistral
    add("mistral call with id", MISTRAL, "",
        "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}, \"id\": \"abcDEF123\"}]", "", "",
        call("get_weather", "{\"city\": \"Oslo\"}", "abcDEF123"));
    add("mistral parallel calls without ids", MISTRAL, "",
        "[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"arguments\": {\"x\": \"y\"}}]", "", "",
        call("a", "{}"), call("b", "{\"x\": \"y\"}"));
    add("mistral name and args form", MISTRAL, "", "[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Oslo\"}", "", "",
        call("get_weather", "{\"city\": \"Oslo\"}"));
    add("mistral name, call id and args form", MISTRAL, "",
        "[TOOL_CALLS]get_weather[CALL_ID]a1b2c3d4e[ARGS]{\"city\": \"Oslo\"}[TOOL_CALLS]get_time[CALL_ID]f5g6h7i8j[ARGS]{}", "", "",
        call("get_weather", "{\"city\": \"Oslo\"}", "a1b2c3d4e"), call("get_time", "{}", "f5g6h7i8j"));
    add("mistral marker without calls is text", MISTRAL, "", "[TOOL_CALLS] sorry, no.", "[TOOL_CALLS] sorry, no.", "");
    // gpt-oss
    add("gpt-oss reasoning then a call", GPT_OSS, "",
        "<|channel|>analysis<|message|>User asks weather. Call tool.<|end|><|start|>assistant<|channel|>commentary "
            + "to=functions.get_weather <|constrain|>json<|message|>{\"city\": \"Oslo\"}<|call|>",
        "", "User asks weather. Call tool.", call("get_weather", "{\"city\": \"Oslo\"}"));
    add("gpt-oss reasoning then an answer", GPT_OSS, "",
        "<|channel|>analysis<|message|>Simple.<|end|><|start|>assistant<|channel|>final<|message|>Hi there!<|return|>",
        "Hi there!", "Simple.");
    add("gpt-oss recipient in the role", GPT_OSS, "",
        "<|channel|>analysis<|message|>Go.<|end|><|start|>assistant to=functions.get_weather<|channel|>commentary json<|message|>{\"city\": \"Rome\"}<|call|>",
        "", "Go.", call("get_weather", "{\"city\": \"Rome\"}"));
    add("gpt-oss arguments that are no JSON are text", GPT_OSS, "",
        "<|channel|>commentary to=functions.f <|constrain|>json<|message|>not json<|call|>", "not json", "");
    add("gpt-oss plain text", GPT_OSS, "", "Just text", "Just text", "");
    // Granite
    add("granite parallel calls", GRANITE, "",
        "<|tool_call|>[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}, {\"name\": \"get_time\", \"arguments\": {}}]",
        "", "", call("get_weather", "{\"city\": \"Oslo\"}"), call("get_time", "{}"));
    add("granite thinking and response", GRANITE, "", "<think>Hmm.</think><response>Hello!</response>", "Hello!", "Hmm.");
    // DeepSeek
    add("deepseek r1 call after thinking opened in the prompt", DEEPSEEK, "<｜User｜>Weather?<｜Assistant｜><think>\n",
        "Need weather.\n</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n"
            + "{\"city\": \"Oslo\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
        "", "Need weather.", call("get_weather", "{\"city\": \"Oslo\"}"));
    add("deepseek v3.1 parallel calls", DEEPSEEK, "",
        "Checking.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>a<｜tool▁sep｜>{\"x\": 1}<｜tool▁call▁end｜>"
            + "<｜tool▁call▁begin｜>b<｜tool▁sep｜>{}<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
        "Checking.", "", call("a", "{\"x\": 1}"), call("b", "{}"));
    // Kimi K2
    add("kimi parallel calls with their ids", KIMI, "",
        "Checking.<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>"
            + "{\"city\": \"Oslo\"}<|tool_call_end|><|tool_call_begin|>functions.get_time:1<|tool_call_argument_begin|>{}"
            + "<|tool_call_end|><|tool_calls_section_end|>",
        "Checking.", "", call("get_weather", "{\"city\": \"Oslo\"}", "functions.get_weather:0"),
        call("get_time", "{}", "functions.get_time:1"));
    // GLM 4.5
    add("glm reasoning and a call with typed values", GLM, "",
        "<think>Weather.</think>\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Oslo</arg_value>\n"
            + "<arg_key>days</arg_key>\n<arg_value>3</arg_value>\n<arg_key>opts</arg_key>\n<arg_value>{\"metric\": true}</arg_value>\n</tool_call>",
        "", "Weather.", call("get_weather", "{\"city\": \"Oslo\", \"days\": 3, \"opts\": {\"metric\": true}}"));
    add("glm text and two calls", GLM, "",
        "On it.<tool_call>a\n<arg_key>k</arg_key>\n<arg_value>v w</arg_value>\n</tool_call>\n<tool_call>b\n</tool_call>",
        "On it.", "", call("a", "{\"k\": \"v w\"}"), call("b", "{}"));
    // Qwen3-Coder / Qwen 3.5
    add("qwen3.5 reasoning and two XML calls", QWEN35, OPEN_THINK_PROMPT,
        "Two cities.\n</think>\n\nChecking.\n<tool_call>\n<function=get_weather>\n<parameter=city>\nOslo\n</parameter>\n"
            + "<parameter=days>\n3\n</parameter>\n</function>\n</tool_call>\n<tool_call>\n<function=get_weather>\n"
            + "<parameter=city>\nSan Jose\nCA\n</parameter>\n</function>\n</tool_call>",
        "Checking.", "Two cities.", call("get_weather", "{\"city\": \"Oslo\", \"days\": 3}"),
        call("get_weather", "{\"city\": \"San Jose\\nCA\"}"));
    add("qwen3 coder markup that is no call stays text", QWEN35, "", "<tool_call>\n<funky>\n</tool_call>",
        "<tool_call>\n<funky>\n</tool_call>", "");
    // Generic
    add("generic call", GENERIC, "", "{\"tool_call\": {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}}", "", "",
        call("get_weather", "{\"city\": \"Oslo\"}"));
    add("generic calls", GENERIC, "",
        "{\"tool_calls\": [{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"arguments\": {\"k\": true}}]}", "", "",
        call("a", "{}"), call("b", "{\"k\": true}"));
    add("generic response", GENERIC, "", "{\"response\": \"Hello \\\"world\\\"\\ncaf\\u00e9 \\\\ bye\"}",
        "Hello \"world\"\ncafé \\ bye", "");
    add("generic plain text", GENERIC, "", "Hello, plain.", "Hello, plain.", "");
    add("generic JSON that is no envelope", GENERIC, "", "{\"a\": 1}", "{\"a\": 1}", "");
    ALL.add(new Sample("qwen call cut inside its arguments is text", QWEN25, QWEN_PROMPT,
        "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1", "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1", "",
        List.of(), false));
  }

  static List<Sample> all() {
    return List.copyOf(ALL);
  }
}

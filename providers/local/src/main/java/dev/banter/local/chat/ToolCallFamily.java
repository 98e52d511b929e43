package dev.banter.local.chat;

import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The ways model families write tool calls, told apart by their chat templates. Immutable.
 *
 * <pre>{@code
 * ToolCallFamily family = ToolCallFamily.detect(model.metadata().chatTemplate().orElse(""));
 * ToolCallSyntax syntax = family.syntax();
 * }</pre>
 */
public enum ToolCallFamily {
  /** Hermes 2 Pro, Qwen 2.5, Qwen 3, Granite 4: {@code <tool_call>\n{"name": N, "arguments": A}\n</tool_call>}. */
  HERMES(new ToolCallSyntax(ToolCallSyntax.Shape.OBJECT, "<tool_call>\n", "", "\n</tool_call>", "name", "arguments",
      "", true, "\n"), Formats.Hermes::new),
  /** Llama 3.1 to 3.3: bare {@code {"name": N, "parameters": A}}, and {@code <|python_tag|>} for built-in tools. */
  LLAMA3(new ToolCallSyntax(ToolCallSyntax.Shape.OBJECT, "", "", "", "name", "parameters", "", false, ""),
      BareJsonFormats.Llama3::new),
  /** Mistral Nemo and Small: {@code [TOOL_CALLS][{"name": N, "arguments": A, "id": I}]}. */
  MISTRAL(new ToolCallSyntax(ToolCallSyntax.Shape.ARRAY, "[TOOL_CALLS]", "", "", "name", "arguments", "id", true, ""),
      Formats.Mistral::new),
  /** gpt-oss (harmony): {@code <|channel|>commentary to=functions.N <|constrain|>json<|message|>A<|call|>}. */
  GPT_OSS(new ToolCallSyntax(ToolCallSyntax.Shape.NAME_THEN_ARGUMENTS, "<|channel|>commentary to=functions.",
      " <|constrain|>json<|message|>", "<|call|>", "", "", "", false, ""), HarmonyFormat::new),
  /** Granite 3.x: {@code <|tool_call|>[{"name": N, "arguments": A}, ...]}. */
  GRANITE(new ToolCallSyntax(ToolCallSyntax.Shape.ARRAY, "<|tool_call|>", "", "", "name", "arguments", "", true, ""),
      Formats.Granite::new),
  /** DeepSeek R1 and V3: {@code <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>N\n```json\nA\n```...}. */
  DEEPSEEK(new ToolCallSyntax(ToolCallSyntax.Shape.NAME_THEN_ARGUMENTS,
      Formats.DeepSeek.CALLS_BEGIN + Formats.DeepSeek.CALL_BEGIN + "function" + Formats.DeepSeek.SEP, "\n```json\n",
      "\n```" + Formats.DeepSeek.CALL_END + Formats.DeepSeek.CALLS_END, "", "", "", true, ""), Formats.DeepSeek::new),
  /** Kimi K2: {@code <|tool_calls_section_begin|><|tool_call_begin|>functions.N:0<|tool_call_argument_begin|>A...}. */
  KIMI_K2(new ToolCallSyntax(ToolCallSyntax.Shape.NAME_THEN_ARGUMENTS,
      Formats.Kimi.SECTION_BEGIN + Formats.Kimi.CALL_BEGIN + "functions.", ":0" + Formats.Kimi.ARGUMENT_BEGIN,
      Formats.Kimi.CALL_END + Formats.Kimi.SECTION_END, "", "", "", true, ""), Formats.Kimi::new),
  /** GLM 4.5 and later: {@code <tool_call>N\n<arg_key>K</arg_key>\n<arg_value>V</arg_value>\n</tool_call>}. */
  GLM_45(new ToolCallSyntax(ToolCallSyntax.Shape.NAME_THEN_TAGS, "<tool_call>", "\n", "</tool_call>", "", "", "",
      true, "\n"), Formats.Glm::new),
  /**
   * Qwen3-Coder, Qwen 3.5, Nemotron 3 Nano:
   * {@code <tool_call>\n<function=N>\n<parameter=K>\nV\n</parameter>\n</function>\n</tool_call>}.
   */
  QWEN3_CODER(new ToolCallSyntax(ToolCallSyntax.Shape.NAME_THEN_PARAMETERS, "<tool_call>\n<function=", ">\n",
      "</function>\n</tool_call>", "", "", "", true, "\n"), Formats.QwenXml::new),
  /**
   * Templates without tool calls: the answer is {@code {"tool_call": {"name": N, "arguments": A}}}
   * (or {@code {"tool_calls": [...]}}) or {@code {"response": "..."}}, which only a constrained
   * decoder makes the model write; anything else is plain text.
   */
  GENERIC(new ToolCallSyntax(ToolCallSyntax.Shape.OBJECT, "{\"tool_call\": ", "", "}", "name", "arguments", "",
      false, ""), BareJsonFormats.Generic::new);

  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final ToolCallSyntax syntax;
  private final Supplier<BodyFormat> format;

  ToolCallFamily(ToolCallSyntax syntax, Supplier<BodyFormat> format) {
    this.syntax = syntax;
    this.format = format;
  }

  /**
   * The family a chat template writes tool calls in, known by the markup it mentions; templates
   * that mention none are {@link #GENERIC}.
   */
  public static ToolCallFamily detect(String template) {
    String t = Objects.requireNonNull(template, "template");
    if (t.contains(Formats.DeepSeek.CALLS_BEGIN)) {
      return DEEPSEEK;
    }
    if (t.contains(Formats.Kimi.SECTION_BEGIN)) {
      return KIMI_K2;
    }
    if (t.contains("<|tool_call|>") && t.contains("<|start_of_role|>")) {
      return GRANITE;
    }
    if (t.contains("<tool_call>") && t.contains("<arg_key>") && t.contains("<arg_value>")) {
      return GLM_45;
    }
    if (t.contains("<tool_call>") && t.contains("<function=") && t.contains("<parameter=")) {
      return QWEN3_CODER;
    }
    if (t.contains("<tool_call>")) {
      return HERMES;
    }
    if (t.contains("<|channel|>")) {
      return GPT_OSS;
    }
    if (t.contains("<|start_header_id|>ipython<|end_header_id|>") || t.contains("<|python_tag|>")) {
      return LLAMA3;
    }
    if (t.contains("[TOOL_CALLS]")) {
      return MISTRAL;
    }
    return GENERIC;
  }

  /** What a constrained decoder needs to force a call in this family's format. */
  public ToolCallSyntax syntax() {
    return syntax;
  }

  BodyFormat newFormat() {
    return format.get();
  }

  /** A fresh call id: nine letters and digits for Mistral (its templates demand them), else {@code call_} and 24. */
  String newId(Random random) {
    StringBuilder b = new StringBuilder(this == MISTRAL ? "" : "call_");
    int length = this == MISTRAL ? 9 : 24;
    for (int i = 0; i < length; i++) {
      b.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
    }
    return b.toString();
  }
}

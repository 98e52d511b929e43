package dev.banter.local;

import dev.banter.api.InvalidRequestException;
import dev.banter.api.Message;
import dev.banter.api.Role;
import dev.banter.api.ToolChoice;
import dev.banter.api.ToolSpec;
import dev.banter.local.chat.ChatFormat;
import dev.banter.local.chat.ToolCallFamily;
import dev.banter.local.chat.ToolCallSyntax;
import dev.banter.local.grammar.Expr;
import dev.banter.local.grammar.Grammar;
import dev.banter.local.tokenizer.Tokenizer;
import dev.banter.template.Json;
import dev.banter.template.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a request's tools reach the model and come back: which tools the template renders, what a
 * template without tool support is told instead, and the grammar that enforces a call when the
 * request requires one.
 *
 * <ul>
 *   <li>{@code none} hides the tools: the template renders none and nothing is enforced;
 *   <li>{@code auto} renders them and lets the model choose; its calls are parsed per the
 *       template's family ({@link ChatFormat});
 *   <li>{@code required} or a named function constrains the answer to the family's call syntax
 *       with the tools' (or that tool's) argument schemas: one call. Thinking is turned off for the
 *       turn, since the answer must open with the call.
 * </ul>
 * A template that knows no tools ({@link ToolCallFamily#GENERIC}) gets them described in the
 * system prompt, and its whole answer is constrained to {@code {"tool_call": {"name": N,
 * "arguments": A}}} or, under {@code auto}, {@code {"response": "..."}} — llama.cpp's server does
 * the same for such models.
 *
 * @param messages the conversation to render (with the generic tool instructions, where needed)
 * @param renderedTools the tools the template renders
 * @param grammar the constraint of a forced call or a generic answer, or null
 * @param parseCalls whether the answer is read for tool calls
 * @param thinking whether the template's thinking stays on (false when a call is forced)
 */
record ToolCalling(List<Message> messages, List<ToolSpec> renderedTools, Grammar grammar, boolean parseCalls,
    boolean thinking) {

  /**
   * The plan for {@code tools} under {@code choice} with a model of {@code format}.
   *
   * @throws InvalidRequestException if a tool's parameter schema cannot be enforced (the message
   *     names the tool and the part of its schema)
   */
  static ToolCalling plan(ChatFormat format, Tokenizer tokenizer, List<Message> messages, List<ToolSpec> tools,
      ToolChoice choice, boolean thinking) {
    if (tools.isEmpty() || choice.mode() == ToolChoice.Mode.NONE) {
      return new ToolCalling(messages, List.of(), null, false, thinking);
    }
    List<ToolSpec> callable = tools;
    if (choice.mode() == ToolChoice.Mode.FUNCTION) {
      String name = choice.function().get();
      callable = new ArrayList<>();
      for (ToolSpec t : tools) {
        if (t.name().equals(name)) {
          callable.add(t);
        }
      }
    }
    boolean forced = choice.mode() != ToolChoice.Mode.AUTO;
    ToolCallSyntax syntax = format.toolCallSyntax();
    if (format.family() == ToolCallFamily.GENERIC) {
      return new ToolCalling(withGenericInstructions(messages, callable, forced), List.of(),
          genericGrammar(syntax, callable, forced), true, thinking);
    }
    return new ToolCalling(messages, tools, forced ? callGrammar(syntax, callable, tokenizer) : null, true,
        thinking && !forced);
  }

  /**
   * The grammar of one call written in {@code syntax} to any of {@code tools}. A forced answer is
   * one call, as in llama.cpp's server; several calls the model writes on its own (under
   * {@code auto}) are all read back.
   *
   * <p>Markup that is one control token in the model's vocabulary ({@code [TOOL_CALLS]},
   * {@code <|tool_call|>}) must be that token, as the model was trained to write it; a suffix that
   * ends the generation (gpt-oss's {@code <|call|>}) is left to the end-of-generation token, which
   * the grammar allows once the call is complete.
   */
  static Grammar callGrammar(ToolCallSyntax syntax, List<ToolSpec> tools, Tokenizer tokenizer) {
    Map<String, Integer> control = tokenizer.controlTokens();
    String suffix = syntax.suffix();
    for (Map.Entry<String, Integer> e : control.entrySet()) {
      if (tokenizer.isEog(e.getValue()) && suffix.endsWith(e.getKey())) {
        suffix = suffix.substring(0, suffix.length() - e.getKey().length());
        break;
      }
    }
    try {
      Grammar.Builder b = Grammar.builder();
      Expr close = literal(suffix, control);
      Expr one = switch (syntax.shape()) {
        case OBJECT, ARRAY -> Expr.seq(literal(syntax.prefix(), control),
            b.jsonSchema("call", Json.parse(single(syntax).callSchema(tools))), close);
        case NAME_THEN_ARGUMENTS, NAME_THEN_TAGS, NAME_THEN_PARAMETERS -> {
          Expr[] each = new Expr[tools.size()];
          for (int i = 0; i < each.length; i++) {
            ToolSpec t = tools.get(i);
            each[i] = Expr.seq(literal(syntax.prefix() + t.name() + syntax.infix(), control),
                arguments(b, syntax, t, control), close);
          }
          yield Expr.alt(each);
        }
      };
      return b.build(one);
    } catch (IllegalArgumentException | JsonException e) {
      throw invalidSchema(tools, e);
    }
  }

  /**
   * {@code text} with each control token's text in it (longest first) as that token, the rest as
   * literal text.
   */
  static Expr literal(String text, Map<String, Integer> control) {
    List<Expr> parts = new ArrayList<>();
    int plain = 0;
    int i = 0;
    while (i < text.length()) {
      String found = null;
      for (String c : control.keySet()) {
        if (text.startsWith(c, i) && (found == null || c.length() > found.length())) {
          found = c;
        }
      }
      if (found == null) {
        i++;
        continue;
      }
      if (plain < i) {
        parts.add(Expr.literal(text.substring(plain, i)));
      }
      parts.add(new Expr.Token(control.get(found)));
      i += found.length();
      plain = i;
    }
    if (plain < text.length()) {
      parts.add(Expr.literal(text.substring(plain)));
    }
    return parts.isEmpty() ? Expr.empty() : Expr.seq(parts.toArray(new Expr[0]));
  }

  private static Grammar genericGrammar(ToolCallSyntax syntax, List<ToolSpec> tools, boolean forced) {
    try {
      Grammar.Builder b = Grammar.builder();
      Expr call = Expr.seq(Expr.literal(syntax.prefix()), b.jsonSchema("call", Json.parse(syntax.callSchema(tools))),
          Expr.literal(syntax.suffix()));
      if (forced) {
        return b.build(call);
      }
      Expr response = Expr.seq(Expr.literal("{\"response\": "),
          b.jsonSchema("response", Map.of("type", "string")), Expr.literal("}"));
      return b.build(Expr.alt(call, response));
    } catch (IllegalArgumentException | JsonException e) {
      throw invalidSchema(tools, e);
    }
  }

  /**
   * The arguments of a {@code NAME_THEN_*} call: a JSON object, or one tag per property in the
   * schema's order, the required ones always and the others optionally.
   */
  private static Expr arguments(Grammar.Builder b, ToolCallSyntax syntax, ToolSpec tool,
      Map<String, Integer> control) {
    Object schema = Json.parse(syntax.argumentsSchema(tool));
    if (syntax.shape() == ToolCallSyntax.Shape.NAME_THEN_ARGUMENTS) {
      return b.jsonSchema(tool.name() + "-args", schema);
    }
    Map<?, ?> object = schema instanceof Map<?, ?> m ? m : Map.of();
    Map<?, ?> properties = object.get("properties") instanceof Map<?, ?> p ? p : Map.of();
    List<?> required = object.get("required") instanceof List<?> r ? r : List.of();
    for (Object name : required) {
      if (!properties.containsKey(name)) {
        throw new IllegalArgumentException("required property '" + name + "' is not among its properties");
      }
    }
    List<Expr> parts = new ArrayList<>();
    for (Map.Entry<?, ?> e : properties.entrySet()) {
      Object name = e.getKey();
      Object property = e.getValue();
      Expr value = tagValue(b, tool.name() + "-" + name, property);
      Expr tag = syntax.shape() == ToolCallSyntax.Shape.NAME_THEN_TAGS
          ? Expr.seq(literal("<arg_key>" + name + "</arg_key>\n<arg_value>", control), value,
              literal("</arg_value>\n", control))
          : Expr.seq(literal("<parameter=" + name + ">\n", control), value, literal("\n</parameter>\n", control));
      parts.add(required.contains(name) ? tag : Expr.optional(tag));
    }
    return parts.isEmpty() ? Expr.empty() : Expr.seq(parts.toArray(new Expr[0]));
  }

  /**
   * A value as the tag formats write it: strings bare (so they may hold anything but the {@code <}
   * that opens the closing tag), enum and const values as their bare text, anything else as JSON.
   */
  private static Expr tagValue(Grammar.Builder b, String rule, Object property) {
    Map<?, ?> pm = property instanceof Map<?, ?> m ? m : Map.of();
    List<Object> choices = new ArrayList<>();
    if (pm.containsKey("const")) {
      choices.add(pm.get("const"));
    } else if (pm.get("enum") instanceof List<?> values && !values.isEmpty()) {
      choices.addAll(values);
    }
    if (!choices.isEmpty() && choices.stream().noneMatch(v -> v instanceof Map<?, ?> || v instanceof List<?>)) {
      Expr[] each = new Expr[choices.size()];
      for (int i = 0; i < each.length; i++) {
        Object v = choices.get(i);
        each[i] = Expr.literal(v instanceof String text ? text : String.valueOf(v));
      }
      return Expr.alt(each);
    }
    if ("string".equals(pm.get("type"))) {
      return Expr.repeat(new Expr.CharClass(new int[] {'<', '<'}, true), length(property, "minLength", 0),
          length(property, "maxLength", -1));
    }
    return b.jsonSchema(rule, property);
  }

  private static int length(Object property, String key, int otherwise) {
    Object v = ((Map<?, ?>) property).get(key);
    return v instanceof Number n && n.longValue() >= 0 ? (int) Math.min(n.longValue(), 100_000) : otherwise;
  }

  /**
   * The syntax of one call without an id (the model may leave it out, and the parser makes one
   * up): a forced answer is exactly one call.
   */
  private static ToolCallSyntax single(ToolCallSyntax s) {
    return new ToolCallSyntax(s.shape(), s.prefix(), s.infix(), s.suffix(), s.nameKey(), s.argumentsKey(), "", false,
        s.separator());
  }

  private static InvalidRequestException invalidSchema(List<ToolSpec> tools, RuntimeException e) {
    List<String> names = new ArrayList<>();
    for (ToolSpec t : tools) {
      names.add(t.name());
    }
    return new InvalidRequestException("A call to " + (names.size() == 1 ? "tool '" + names.get(0) + "'" : "tools " + names)
        + " cannot be enforced: " + e.getMessage() + ". Simplify the tool's parameter schema, or use tool_choice auto.",
        LocalBackendProvider.ID, "tools", e);
  }

  /** The conversation with the tools and the answer's JSON shape described in its system message. */
  private static List<Message> withGenericInstructions(List<Message> messages, List<ToolSpec> tools, boolean forced) {
    StringBuilder sb = new StringBuilder();
    sb.append("You can call these tools:\n");
    for (ToolSpec t : tools) {
      sb.append("- ").append(t.name());
      if (!t.description().isEmpty()) {
        sb.append(": ").append(t.description());
      }
      sb.append("\n  parameters: ").append(t.parametersSchema().trim()).append('\n');
    }
    sb.append(forced
        ? "Answer with one JSON object that calls a tool: {\"tool_call\": {\"name\": \"<tool name>\", \"arguments\": {...}}}."
        : "Answer with one JSON object: {\"tool_call\": {\"name\": \"<tool name>\", \"arguments\": {...}}} to call a "
            + "tool, or {\"response\": \"<your answer>\"} to answer directly.");
    List<Message> out = new ArrayList<>(messages.size() + 1);
    if (!messages.isEmpty() && messages.get(0).role() == Role.SYSTEM) {
      Message system = messages.get(0);
      out.add(system.withContent(system.content() + "\n\n" + sb));
      out.addAll(messages.subList(1, messages.size()));
    } else {
      out.add(Message.system(sb.toString()));
      out.addAll(messages);
    }
    return out;
  }
}

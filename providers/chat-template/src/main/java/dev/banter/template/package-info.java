/**
 * Chat templates: the Jinja templates models ship in GGUF metadata ({@code tokenizer.chat_template})
 * that turn a conversation into prompt text. Start from {@link dev.banter.template.ChatTemplate}:
 * {@code ChatTemplate.parse(source)}, then {@code render(messages, addGenerationPrompt, bos, eos, extra)}
 * (or {@code render(variables)}); {@link dev.banter.template.ChatTemplate#CHATML} is the fallback
 * when a model has none. Failures are {@link dev.banter.template.TemplateException}s:
 * {@link dev.banter.template.TemplateSyntaxException} for a malformed template,
 * {@link dev.banter.template.TemplateRaisedException} when the template rejects the
 * conversation. {@link dev.banter.template.Json} is a strict JSON reader for inputs such as
 * tool-call arguments.
 *
 * <p>Inside, {@code Lexer} and {@code Parser} build {@code Stmt}/{@code Expr} trees, which evaluate
 * against a {@code Scope} with Python value semantics ({@code Py}, {@code Text}, {@code PyFormat}),
 * Jinja's filters and tests, Python's methods and the template globals; {@code Limits} bounds every
 * render.
 */
package dev.banter.template;

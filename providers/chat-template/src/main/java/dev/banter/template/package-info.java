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
 * <p>The engine covers the Jinja that real chat templates use (the templates of llama.cpp's
 * {@code models/templates} are its test set); Jinja features they do not use fail with a message
 * naming the feature. Inside, {@code Lexer} and {@code Parser} build {@code Stmt}/{@code Expr}
 * trees, which evaluate against a {@code Scope} with Python value semantics: {@code Types}
 * (type names, truth), {@code Compare} (equality, ordering), {@code Arithmetic} (operators),
 * {@code Repr} (values as text), {@code Lookup} (attributes, items, slices), {@code Iteration}
 * (loops, {@code len}, {@code in}) and {@code Inputs} (the caller's values), with {@code Text}
 * for string operations; then {@code Filters}, {@code Tests}, {@code Methods} and {@code Globals}.
 * {@code Limits} bounds every render.
 */
package dev.banter.template;

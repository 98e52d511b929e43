/**
 * The local engine's front doors. {@link dev.banter.local.LocalBackendProvider} is the
 * {@code local} backend that Banter finds with {@link java.util.ServiceLoader}: a GGUF model run
 * inside the JVM, with KV-cache slots that reuse a conversation's prompt from one turn to the
 * next. Three commands help check it against llama.cpp: {@link dev.banter.local.Eval} (prompt
 * tokens, greedy tokens, prompt logits), {@link dev.banter.local.Tokenize} and
 * {@link dev.banter.local.RenderTemplate}.
 *
 * <p>Inside: {@code LocalBackend} checks a request (template, context) on the caller's thread and
 * queues it; a {@code Generation} runs it on a backend thread in a slot chosen by {@code Slots};
 * {@code ChatPrompt} renders the model's chat template. The engine itself lives in the
 * {@code gguf}, {@code tokenizer}, {@code template}, {@code tensor} and {@code model} packages.
 */
package dev.banter.local;

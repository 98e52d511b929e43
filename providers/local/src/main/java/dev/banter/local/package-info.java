/**
 * The local engine's front door. {@link dev.banter.local.LocalBackendProvider} is the
 * {@code local} backend that Banter finds with {@link java.util.ServiceLoader}: a GGUF model run
 * inside the JVM, with KV-cache slots that reuse a conversation's prompt from one turn to the
 * next. The tools that check it against llama.cpp ({@code banter tokenize}, {@code eval},
 * {@code template render}, {@code bench}) live in the {@code banter} command, not in this jar.
 *
 * <p>Inside: {@code LocalBackend} checks a request (template, context) on the caller's thread and
 * queues it; a {@code Generation} runs it on a backend thread in a slot chosen by {@code Slots};
 * {@code ChatPrompt} renders the model's chat template with {@code dev.banter.template}, and the
 * {@code chat} package reads the output back as answer, reasoning and tool calls in the model
 * family's markup. The engine itself lives in the {@code gguf}, {@code tokenizer}, {@code tensor}
 * and {@code model} packages.
 */
package dev.banter.local;

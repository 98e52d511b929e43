/**
 * Reading a local model's raw output as chat: answer text, reasoning and tool calls, in each model
 * family's own markup. Start from {@link dev.banter.local.chat.ChatFormat#detect(String)} with the
 * model's chat template; its {@link dev.banter.local.chat.ChatOutputParser} turns decoded text into
 * stream chunks and a {@link dev.banter.local.chat.ParsedMessage}, and its
 * {@link dev.banter.local.chat.ToolCallSyntax} tells a constrained decoder how to force a call.
 * JDK only.
 */
package dev.banter.local.chat;

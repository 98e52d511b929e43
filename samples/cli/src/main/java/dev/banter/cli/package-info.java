/**
 * The {@code banter} command. Start at {@link dev.banter.cli.Main}; {@code Cli} parses the
 * arguments (picocli) and maps failures to exit codes, {@code Io} is everything a command touches
 * of its process (so tests run commands in-process). The commands: {@code ChatCommand} (with
 * {@code ChatSession} for the conversation and {@code Repl} for the terminal), {@code ServeCommand}
 * (the OpenAI-compatible server, with {@code AccessLog}), and {@code ModelsCommand} with its
 * {@code inspect}, {@code pull} ({@code Download}) and {@code list} subcommands.
 */
package dev.banter.cli;

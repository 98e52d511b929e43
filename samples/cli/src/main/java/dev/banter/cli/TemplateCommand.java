package dev.banter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code banter template}: chat templates. */
@Command(name = "template", mixinStandardHelpOptions = true,
    description = {"Work with the Jinja chat templates GGUF models carry."},
    subcommands = {TemplateRenderCommand.class})
final class TemplateCommand extends GroupCommand {
  @ParentCommand
  BanterCommand root;
}

package dev.banter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code banter models}: the GGUF model files: inspect, download, list. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Inspect, download, list and make GGUF model files. Downloads go to $BANTER_HOME/models (default "
        + "~/.cache/banter/models)."},
    subcommands = {ModelsInspectCommand.class, ModelsPullCommand.class, ModelsListCommand.class,
        ModelsMakeBenchCommand.class})
final class ModelsCommand extends GroupCommand {
  @ParentCommand
  BanterCommand root;
}

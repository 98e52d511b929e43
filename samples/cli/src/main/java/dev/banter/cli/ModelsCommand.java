package dev.banter.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banter models}: the GGUF model files: inspect, download, list. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Inspect, download, list and make GGUF model files. Downloads go to $BANTER_HOME/models (default "
        + "~/.cache/banter/models)."},
    subcommands = {ModelsInspectCommand.class, ModelsPullCommand.class, ModelsListCommand.class,
        ModelsMakeBenchCommand.class})
final class ModelsCommand implements Callable<Integer> {
  @ParentCommand
  BanterCommand root;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }
}

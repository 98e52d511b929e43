package dev.banter.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banter template}: chat templates. */
@Command(name = "template", mixinStandardHelpOptions = true,
    description = {"Work with the Jinja chat templates GGUF models carry."},
    subcommands = {TemplateRenderCommand.class})
final class TemplateCommand implements Callable<Integer> {
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

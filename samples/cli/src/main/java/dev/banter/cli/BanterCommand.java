package dev.banter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The root command; running it without a subcommand prints the usage. */
@Command(name = "banter", mixinStandardHelpOptions = true, versionProvider = BanterCommand.Version.class,
    description = {"Chat with a model that has a personality, serve any backend over the OpenAI protocol, and "
        + "manage GGUF model files. Models: the bundled demo model, any GGUF file (backend 'local'), "
        + "GPU inference servers, xAI and OpenAI."},
    subcommands = {ChatCommand.class, ServeCommand.class, ModelsCommand.class, TokenizeCommand.class,
        EvalCommand.class, TemplateCommand.class, BenchCommand.class},
    footerHeading = "%nEnvironment:%n",
    footer = {"  BANTER_HOME     cache directory for models and chat history (default ~/.cache/banter)",
        "  BANTER_API_KEY  bearer key 'banter serve' requires (same as --api-key)",
        "  BANTER_DEBUG    print stack traces of unexpected failures"})
final class BanterCommand extends GroupCommand {
  final Io io;

  BanterCommand(Io io) {
    this.io = io;
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BanterCommand.class.getPackage().getImplementationVersion();
      return new String[] {"banter " + (v == null ? "(development build)" : v),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}

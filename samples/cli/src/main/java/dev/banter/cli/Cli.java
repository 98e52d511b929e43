package dev.banter.cli;

import dev.banter.api.BanterException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine;

/** Parses arguments, runs the chosen command and turns its outcome into an exit code. */
final class Cli {
  private Cli() {}

  /** Runs {@code banter args...} against {@code io}; returns the exit code. */
  static int run(String[] args, Io io) {
    CommandLine cmd = commandLine(io);
    return cmd.execute(args);
  }

  static CommandLine commandLine(Io io) {
    CommandLine cmd = new CommandLine(new BanterCommand(io));
    cmd.setOut(new PrintWriter(io.out, true));
    cmd.setErr(new PrintWriter(io.err, true));
    cmd.setUsageHelpAutoWidth(true);
    documentExitCodes(cmd, ExitCode.descriptions());
    cmd.setParameterExceptionHandler((e, args) -> {
      CommandLine failed = e.getCommandLine();
      PrintWriter err = failed.getErr();
      err.println(failed.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
      err.flush();
      return ExitCode.USAGE;
    });
    cmd.setExecutionExceptionHandler((e, failed, parsed) -> {
      PrintWriter err = failed.getErr();
      String name = failed.getCommandSpec().qualifiedName();
      if (e instanceof UsageException) {
        err.println(name + ": " + e.getMessage());
        err.println("Run '" + name + " --help' for usage.");
      } else if (e instanceof BanterException || e instanceof UncheckedIOException) {
        err.println(name + ": " + e.getMessage());
      } else {
        err.println(name + ": unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        if (io.env("BANTER_DEBUG") != null) {
          e.printStackTrace(err);
        } else {
          err.println("Set BANTER_DEBUG=1 to see the stack trace.");
        }
      }
      err.flush();
      return ExitCode.of(e);
    });
    return cmd;
  }

  private static void documentExitCodes(CommandLine cmd, Map<String, String> codes) {
    cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    for (CommandLine sub : cmd.getSubcommands().values()) {
      documentExitCodes(sub, codes);
    }
  }
}

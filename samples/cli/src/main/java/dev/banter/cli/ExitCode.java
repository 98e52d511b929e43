package dev.banter.cli;

import dev.banter.api.ConfigurationException;
import dev.banter.api.ModelLoadException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/** The exit codes of every {@code banter} command, and which failure maps to which. */
final class ExitCode {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int CONFIGURATION = 3;
  static final int MODEL_LOAD = 4;
  static final int INTERRUPTED = 130;

  private ExitCode() {}

  /** The list printed at the end of every command's {@code --help}. */
  static Map<String, String> descriptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(String.valueOf(OK), "success");
    m.put(String.valueOf(FAILURE), "runtime failure (backend error, network, I/O, checksum mismatch)");
    m.put(String.valueOf(USAGE), "usage error (unknown option, missing or invalid argument)");
    m.put(String.valueOf(CONFIGURATION), "configuration error (unknown backend or persona, bad setting or config file)");
    m.put(String.valueOf(MODEL_LOAD), "the model file could not be loaded (missing, truncated, unsupported)");
    m.put(String.valueOf(INTERRUPTED), "interrupted (Ctrl-C)");
    return m;
  }

  /** The exit code for a failure that ended a command. */
  static int of(Throwable t) {
    if (t instanceof CommandLine.ParameterException || t instanceof UsageException) {
      return USAGE;
    }
    if (t instanceof ModelLoadException) {
      return MODEL_LOAD;
    }
    if (t instanceof ConfigurationException) {
      return CONFIGURATION;
    }
    if (t instanceof InterruptedException) {
      return INTERRUPTED;
    }
    return FAILURE;
  }
}

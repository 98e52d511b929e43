package dev.banter.cli;

/**
 * The {@code banter} command's entry point: chat with a model, serve it over the OpenAI protocol,
 * inspect and download GGUF models. Run {@code banter --help} for the commands; the launcher
 * script {@code samples/cli/banter} starts this class from {@code target/banter.jar}.
 *
 * <pre>{@code
 * banter chat                                   # the bundled demo model, witty persona
 * banter chat --model llama-3.2-1b-q4_k_m.gguf --persona regular
 * banter serve --port 8080 --api-key secret     # OpenAI-compatible on 127.0.0.1:8080/v1
 * banter models pull https://example.org/model.gguf --sha256 9f2c...
 * }</pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args, Io.system()));
  }
}

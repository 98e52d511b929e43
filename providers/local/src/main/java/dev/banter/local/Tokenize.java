package dev.banter.local;

import dev.banter.api.BanterException;
import dev.banter.local.gguf.GgufFile;
import dev.banter.local.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Paths;

/**
 * Command-line tokenizer: reads all of standard input as UTF-8 and prints the token ids of the
 * model's vocabulary, space-separated, on one line. Works on vocabulary-only GGUF files.
 *
 * <pre>{@code
 * echo -n "Hello world" | java -cp banter-local.jar dev.banter.local.Tokenize --vocab model.gguf
 * java -cp banter-local.jar dev.banter.local.Tokenize --vocab model.gguf --bos --special < prompt.txt
 * }</pre>
 *
 * <p>{@code --bos} adds BOS/EOS as the vocabulary says ({@code add_bos_token}); {@code --special}
 * recognises control tokens such as {@code <|im_start|>} in the text. Both are off by default.
 * Errors go to standard error with exit code 2 (usage) or 1 (unreadable or invalid file).
 */
public final class Tokenize {
  private Tokenize() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    String vocab = null;
    boolean bos = false;
    boolean special = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--vocab":
          if (i + 1 >= args.length) {
            return usage(err, "--vocab needs a file");
          }
          vocab = args[++i];
          break;
        case "--bos":
          bos = true;
          break;
        case "--special":
          special = true;
          break;
        case "-h":
        case "--help":
          usage(out, null);
          return 0;
        default:
          return usage(err, "unknown argument '" + args[i] + "'");
      }
    }
    if (vocab == null) {
      return usage(err, "--vocab FILE is required");
    }
    try {
      Tokenizer tok;
      try (GgufFile file = GgufFile.open(Paths.get(vocab))) {
        tok = Tokenizer.from(file);
      }
      int[] ids = tok.encode(readAll(in), bos, special);
      StringBuilder sb = new StringBuilder(ids.length * 6);
      for (int i = 0; i < ids.length; i++) {
        sb.append(i == 0 ? "" : " ").append(ids[i]);
      }
      out.println(sb);
      out.flush();
      return out.checkError() ? 1 : 0;
    } catch (BanterException e) {
      err.println("tokenize: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("tokenize: cannot read standard input: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("tokenize: failed on " + vocab + ": " + e);
      return 1;
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 16];
    for (int n; (n = in.read(chunk)) > 0; ) {
      buf.write(chunk, 0, n);
    }
    return buf.toByteArray();
  }

  private static int usage(PrintStream to, String problem) {
    if (problem != null) {
      to.println("tokenize: " + problem);
    }
    to.println("usage: java -cp banter-local.jar dev.banter.local.Tokenize --vocab FILE [--special] [--bos] < text");
    to.println("  prints the token ids of standard input (UTF-8), space-separated, on one line");
    to.println("  --bos      add BOS/EOS as the vocabulary's add_bos_token/add_eos_token say");
    to.println("  --special  recognise control tokens such as <|im_start|> in the text");
    return problem == null ? 0 : 2;
  }
}

package dev.banter.cli;

import dev.banter.cli.tools.Tokenize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter tokenize}: standard input's token ids in a GGUF file's vocabulary. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Read all of standard input as UTF-8 and print its token ids in the vocabulary of a GGUF "
        + "file (a model or a vocabulary-only file), space-separated, on one line — as llama.cpp tokenizes."})
final class TokenizeCommand implements Callable<Integer> {
  @ParentCommand
  BanterCommand root;

  @Option(names = "--vocab", required = true, paramLabel = "FILE", description = "The GGUF file whose vocabulary to use.")
  Path vocab;

  @Option(names = "--special", description = "Recognise control tokens such as <|im_start|> in the text.")
  boolean special;

  @Option(names = "--bos", description = "Add BOS/EOS as the vocabulary's add_bos_token/add_eos_token say.")
  boolean bos;

  @Override
  public Integer call() {
    byte[] text;
    try {
      text = root.io.in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
    int[] ids = Tokenize.run(vocab, text, bos, special);
    StringBuilder sb = new StringBuilder(ids.length * 6);
    for (int i = 0; i < ids.length; i++) {
      sb.append(i == 0 ? "" : " ").append(ids[i]);
    }
    root.io.out.println(sb);
    root.io.out.flush();
    return root.io.out.checkError() ? ExitCode.FAILURE : ExitCode.OK;
  }
}

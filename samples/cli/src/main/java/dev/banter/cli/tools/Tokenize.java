package dev.banter.cli.tools;

import dev.banter.local.gguf.GgufFile;
import dev.banter.local.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * Tokenizes text with the vocabulary of a GGUF file (a whole model or a vocabulary-only file), as
 * llama.cpp's tokenizer does.
 *
 * <pre>{@code
 * int[] ids = Tokenize.run(Path.of("ggml-vocab-gpt-2.gguf"), " Hello world".getBytes(UTF_8), false, false);
 * }</pre>
 */
public final class Tokenize {
  private Tokenize() {}

  /**
   * @param text UTF-8 bytes; invalid sequences are tokenized as their bytes, as llama.cpp does
   * @param addBos add BOS/EOS as the vocabulary's {@code add_bos_token}/{@code add_eos_token} say
   * @param special recognise control tokens such as {@code <|im_start|>} in the text
   * @throws dev.banter.api.ModelLoadException if the file cannot be read or has no vocabulary
   */
  public static int[] run(Path vocab, byte[] text, boolean addBos, boolean special) {
    Tokenizer tokenizer;
    try (GgufFile file = GgufFile.open(vocab)) {
      tokenizer = Tokenizer.from(file);
    }
    return tokenizer.encode(text, addBos, special);
  }
}

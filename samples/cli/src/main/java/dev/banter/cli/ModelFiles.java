package dev.banter.cli;

import dev.banter.local.gguf.GgufFile;
import java.nio.file.Path;

/** Checks on model files that the engine tools share. */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * @throws dev.banter.api.ModelLoadException if the file is no GGUF file
   * @throws UsageException if it holds no tensors (a vocabulary-only file)
   */
  static void requireTensors(Path model, String command) {
    try (GgufFile file = GgufFile.open(model)) {
      if (file.tensors().isEmpty()) {
        throw new UsageException(model + " holds no tensors (a vocabulary-only file?); " + command
            + " needs a whole model");
      }
    }
  }
}

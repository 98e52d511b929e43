package dev.banter.local.model;

import dev.banter.local.TestResources;
import dev.banter.template.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The model fixtures and llama.cpp's reference results, read from the test class path. */
final class Fixtures {
  private Fixtures() {}

  /** A test resource as a file path (resources are copied to target/test-classes). */
  static Path resource(String name) {
    return TestResources.path(name);
  }

  /** The reference for one model and prompt: {@code logits/NAME.PROMPT.json} and its logits. */
  static final class Reference {
    final String prompt;
    final int[] promptTokens;
    final int[] greedyTokens;
    final int vocab;
    final float[] logits;

    Reference(String dir, String model, String prompt) {
      String base = dir + "/" + model + "." + prompt;
      Map<?, ?> json;
      try {
        json = (Map<?, ?>) Json.parse(new String(Files.readAllBytes(resource(base + ".json")), StandardCharsets.UTF_8));
        byte[] raw = Files.readAllBytes(resource(base + ".prompt_logits.f32"));
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        logits = new float[raw.length / 4];
        b.asFloatBuffer().get(logits);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.prompt = (String) json.get("prompt");
      this.promptTokens = ints((List<?>) json.get("prompt_tokens"));
      this.greedyTokens = ints((List<?>) json.get("greedy_tokens"));
      this.vocab = ((Number) json.get("n_vocab")).intValue();
      if (logits.length != promptTokens.length * vocab) {
        throw new IllegalStateException(base + ": " + logits.length + " logits for " + promptTokens.length
            + " positions of " + vocab);
      }
    }

    private static int[] ints(List<?> list) {
      int[] out = new int[list.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) list.get(i)).intValue();
      }
      return out;
    }
  }
}

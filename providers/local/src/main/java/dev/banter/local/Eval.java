package dev.banter.local;

import dev.banter.api.BanterException;
import dev.banter.local.model.Model;
import dev.banter.local.model.Session;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Evaluates a prompt on a model and prints, as one JSON object, its tokens and the greedy
 * continuation: {@code {"prompt_tokens":[...],"greedy_tokens":[...]}}. With {@code --dump-logits}
 * it writes the logits of every prompt position (the prompt evaluated as one batch) as
 * little-endian float32, row-major, the layout of llama.cpp's reference {@code
 * *.prompt_logits.f32} files. BOS is added as the model's metadata says; {@code --special}
 * recognises control tokens such as {@code <|im_start|>} in the prompt. Greedy decoding stops after
 * {@code N} tokens or after an end-of-generation token (which is included).
 *
 * <pre>{@code
 * java -cp banter-local.jar dev.banter.local.Eval --model tiny.gguf --prompt "Once upon a time" \
 *     --greedy 32 --dump-logits prompt.f32
 * }</pre>
 *
 * <p>Exit status: 0 success, 1 the model or the evaluation failed, 2 usage error.
 */
public final class Eval {
  private Eval() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String model = null;
    String prompt = null;
    String dump = null;
    boolean special = false;
    int greedy = 0;
    int threads = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--special")) {
        special = true;
        continue;
      }
      if (i + 1 >= args.length) {
        return usage(err, "missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--model":
          model = v;
          break;
        case "--prompt":
          prompt = v;
          break;
        case "--dump-logits":
          dump = v;
          break;
        case "--greedy":
        case "--threads":
          int n;
          try {
            n = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            return usage(err, a + " needs a whole number, got '" + v + "'");
          }
          int min = a.equals("--greedy") ? 0 : 1;
          int max = a.equals("--greedy") ? 1 << 20 : 1024;
          if (n < min || n > max) {
            return usage(err, a + " must be between " + min + " and " + max + ", got " + n);
          }
          if (a.equals("--greedy")) {
            greedy = n;
          } else {
            threads = n;
          }
          break;
        default:
          return usage(err, "unknown argument " + a);
      }
    }
    if (model == null || prompt == null) {
      return usage(err, "--model and --prompt are required");
    }
    try (Model m = Model.load(Paths.get(model), threads)) {
      int[] tokens = m.tokenizer().encode(prompt, true, special);
      if (tokens.length == 0) {
        err.println("the prompt has no tokens; give some text (or a model that adds BOS)");
        return 1;
      }
      Session s = m.newSession(tokens.length + greedy, tokens.length);
      int vocab = m.vocabSize();
      float[] logits = new float[tokens.length * vocab];
      s.appendAll(tokens, 0, tokens.length, logits, 0);
      if (dump != null) {
        write(Paths.get(dump), logits);
      }
      int[] generated = new int[greedy];
      int count = 0;
      float[] last = new float[vocab];
      System.arraycopy(logits, (tokens.length - 1) * vocab, last, 0, vocab);
      while (count < greedy) {
        int next = argmax(last);
        generated[count++] = next;
        if (m.tokenizer().isEog(next) || count == greedy) {
          break;
        }
        last = s.append(new int[] {next}, 0, 1);
      }
      StringBuilder json = new StringBuilder("{\"prompt_tokens\":");
      array(json, tokens, tokens.length).append(",\"greedy_tokens\":");
      array(json, generated, count).append('}');
      out.println(json);
      out.flush();
      return 0;
    } catch (BanterException | IllegalArgumentException e) {
      err.println(e.getMessage());
      return 1;
    } catch (OutOfMemoryError e) {
      err.println("not enough memory for " + greedy + " greedy tokens after the prompt; ask for fewer or raise -Xmx");
      return 1;
    } catch (IOException e) {
      err.println("cannot write the logits to " + dump + ": " + e);
      return 1;
    }
  }

  private static int argmax(float[] x) {
    int best = 0;
    for (int i = 1; i < x.length; i++) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }

  private static StringBuilder array(StringBuilder sb, int[] values, int count) {
    sb.append('[');
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : ",").append(values[i]);
    }
    return sb.append(']');
  }

  private static void write(Path file, float[] values) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
      for (float v : values) {
        if (buf.remaining() < Float.BYTES) {
          os.write(buf.array(), 0, ((Buffer) buf).position());
          ((Buffer) buf).clear();
        }
        buf.putFloat(v);
      }
      os.write(buf.array(), 0, ((Buffer) buf).position());
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println(problem);
    err.println("usage: java -cp banter-local.jar dev.banter.local.Eval --model FILE --prompt TEXT [--special]"
        + " [--dump-logits OUT.f32] [--greedy N] [--threads N]");
    return 2;
  }
}

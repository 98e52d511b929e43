package dev.banter.local;

import dev.banter.api.BanterException;
import dev.banter.local.template.ChatTemplate;
import dev.banter.local.template.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a chat template for a conversation from the command line and prints exactly the
 * rendering, with no newline added. The input is a JSON object with {@code messages} and optionally
 * {@code bos_token}, {@code eos_token}, {@code add_generation_prompt} and {@code tools}; other
 * members are ignored. {@code --date} fixes the day {@code strftime_now} and the date variables
 * see (at midnight UTC); without it the system clock is used.
 *
 * <pre>{@code
 * java -cp banter-local.jar dev.banter.local.RenderTemplate \
 *     --template llama3.jinja --input conversation.json --date 2026-11-28
 * }</pre>
 */
public final class RenderTemplate {
  private RenderTemplate() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status (0 success, 1 failure, 2 usage error). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String template = null;
    String input = null;
    String date = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("--template") || arg.equals("--input") || arg.equals("--date")) && i + 1 < args.length) {
        String value = args[++i];
        if (arg.equals("--template")) {
          template = value;
        } else if (arg.equals("--input")) {
          input = value;
        } else {
          date = value;
        }
      } else {
        err.println("unknown or incomplete argument: " + arg);
        return usage(err);
      }
    }
    if (template == null || input == null) {
      return usage(err);
    }
    try {
      Clock clock = Clock.systemDefaultZone();
      if (date != null) {
        clock = Clock.fixed(LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
      }
      Object parsed = Json.parse(stripBom(readUtf8(input)));
      if (!(parsed instanceof Map)) {
        err.println(input + ": expected a JSON object with \"messages\"");
        return 1;
      }
      Map<?, ?> root = (Map<?, ?>) parsed;
      Object messages = root.get("messages");
      if (!(messages instanceof List)) {
        err.println(input + ": \"messages\" must be an array of message objects");
        return 1;
      }
      List<Map<String, Object>> conversation = new ArrayList<>();
      for (Object m : (List<?>) messages) {
        if (!(m instanceof Map)) {
          err.println(input + ": every element of \"messages\" must be an object");
          return 1;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) m).entrySet()) {
          copy.put((String) e.getKey(), e.getValue());
        }
        conversation.add(copy);
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      if (root.containsKey("tools")) {
        extra.put("tools", root.get("tools"));
      }
      String rendering = ChatTemplate.parse(readUtf8(template))
          .withClock(clock)
          .render(conversation, Boolean.TRUE.equals(root.get("add_generation_prompt")),
              text(root.get("bos_token")), text(root.get("eos_token")), extra);
      byte[] bytes = rendering.getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
      out.flush();
      return 0;
    } catch (BanterException e) {
      err.println(e.getMessage());
      return 1;
    } catch (DateTimeParseException e) {
      err.println("--date must be a date such as 2026-11-28: " + e.getParsedString());
      return 2;
    } catch (IOException e) {
      err.println("cannot read " + e.getMessage());
      return 1;
    }
  }

  private static String text(Object value) {
    return value instanceof String ? (String) value : "";
  }

  private static String readUtf8(String file) throws IOException {
    byte[] bytes = Files.readAllBytes(Paths.get(file));
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": the file is not valid UTF-8", e);
    }
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static int usage(PrintStream err) {
    err.println("usage: RenderTemplate --template FILE.jinja --input INPUT.json [--date YYYY-MM-DD]");
    return 2;
  }
}

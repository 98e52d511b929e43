package dev.banter.cli;

import dev.banter.api.BanterException;
import dev.banter.cli.tools.TemplateRender;
import dev.banter.template.JsonException;
import dev.banter.template.TemplateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code banter template render}: a chat template's rendering of a conversation, byte for byte. */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Render a chat template for the conversation in a JSON file and print exactly the rendering, "
        + "with no newline added — what the local engine (and llama.cpp) would feed the model. The input holds "
        + "\"messages\" and optionally \"bos_token\", \"eos_token\", \"add_generation_prompt\" and \"tools\"."})
final class TemplateRenderCommand implements Callable<Integer> {
  @ParentCommand
  TemplateCommand parent;

  @Option(names = "--template", required = true, paramLabel = "FILE.jinja", description = "The Jinja template.")
  Path template;

  @Option(names = "--input", required = true, paramLabel = "INPUT.json", description = "The conversation.")
  Path input;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "The day strftime_now and the date variables see (default: today).")
  String date;

  @Override
  public Integer call() {
    Optional<LocalDate> day;
    try {
      day = Optional.ofNullable(date).map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      throw new UsageException("--date must be a date such as 2026-11-28, got '" + date + "'");
    }
    String rendering;
    try {
      rendering = TemplateRender.render(readUtf8(template), readUtf8(input), day);
    } catch (JsonException e) {
      throw new BanterException(input + " is not valid JSON: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new BanterException(input + ": " + e.getMessage(), e);
    } catch (TemplateException e) {
      throw new BanterException(template + ": " + e.getMessage(), e);
    }
    byte[] bytes = rendering.getBytes(StandardCharsets.UTF_8);
    parent.root.io.out.write(bytes, 0, bytes.length);
    parent.root.io.out.flush();
    return ExitCode.OK;
  }

  private static String readUtf8(Path file) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BanterException(file + " is not valid UTF-8", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}

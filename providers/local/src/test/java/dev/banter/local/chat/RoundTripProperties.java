package dev.banter.local.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.banter.api.ChatChunk;
import dev.banter.api.ToolCall;
import dev.banter.api.ToolCallDelta;
import dev.banter.template.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Calls written in each family's syntax, with any arguments, read back whole and streamed in any pieces. */
class RoundTripProperties {
  @Provide
  Arbitrary<ToolCallFamily> families() {
    return Arbitraries.of(ToolCallFamily.values());
  }

  @Provide
  Arbitrary<List<Long>> seeds() {
    return Arbitraries.longs().list().ofMinSize(1).ofMaxSize(3);
  }

  @Property(tries = 1500)
  void calls_written_in_the_family_syntax_read_back(@ForAll("families") ToolCallFamily family,
      @ForAll("seeds") List<Long> callSeeds, @ForAll boolean leadingText, @ForAll("cuts") List<Double> cuts) {
    ToolCallSyntax syntax = family.syntax();
    boolean tags = syntax.shape() == ToolCallSyntax.Shape.NAME_THEN_TAGS
        || syntax.shape() == ToolCallSyntax.Shape.NAME_THEN_PARAMETERS;
    int count = syntax.parallel() ? callSeeds.size() : 1;
    List<String> names = new ArrayList<>();
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Random r = new Random(callSeeds.get(i));
      names.add("fn_" + Integer.toString(r.nextInt(1000), 36));
      arguments.add(JsonScan.write(arguments(r, tags, family == ToolCallFamily.GPT_OSS, 0)));
    }
    boolean bare = family == ToolCallFamily.LLAMA3 || family == ToolCallFamily.GENERIC;
    String text = leadingText && !bare ? "Let me check that for you. " : "";
    StringBuilder out = new StringBuilder(text);
    if (syntax.shape() == ToolCallSyntax.Shape.ARRAY) {
      StringBuilder items = new StringBuilder();
      for (int i = 0; i < count; i++) {
        String one = syntax.write(names.get(i), arguments.get(i));
        String object = one.substring(syntax.prefix().length() + 1, one.length() - syntax.suffix().length() - 1);
        items.append(i > 0 ? ", " : "").append(object);
      }
      out.append(syntax.prefix()).append('[').append(items).append(']').append(syntax.suffix());
    } else {
      for (int i = 0; i < count; i++) {
        out.append(i > 0 ? syntax.separator() : "").append(syntax.write(names.get(i), arguments.get(i)));
      }
    }
    String output = out.toString();
    ChatFormat format = ChatFormat.of(family, false);

    ChatOutputParser p = format.parser("", new Random(3));
    List<ChatChunk> chunks = new ArrayList<>();
    for (String piece : ChatOutputParserProperties.split(output, cuts)) {
      chunks.addAll(p.feed(piece));
    }
    chunks.addAll(p.finish());
    ParsedMessage m = p.result();
    assertEquals(Texts.strip(text), m.content(), output);
    assertEquals(count, m.toolCalls().size(), output);
    for (int i = 0; i < count; i++) {
      assertEquals(names.get(i), m.toolCalls().get(i).name());
      assertEquals(Json.parse(arguments.get(i)), Json.parse(m.toolCalls().get(i).arguments()), output);
    }

    StringBuilder streamedText = new StringBuilder();
    List<String[]> calls = new ArrayList<>();
    for (ChatChunk c : chunks) {
      streamedText.append(c.text());
      for (ToolCallDelta d : c.toolCalls()) {
        if (d.name().isPresent()) {
          calls.add(new String[] {d.id().orElseThrow(), d.name().get(), d.argumentsFragment()});
        } else {
          calls.get(d.index())[2] += d.argumentsFragment();
        }
      }
    }
    assertEquals(m.content(), streamedText.toString());
    List<ToolCall> streamed = new ArrayList<>();
    for (String[] c : calls) {
      streamed.add(new ToolCall(c[0], c[1], c[2]));
    }
    assertEquals(m.toolCalls(), streamed, output);
  }

  @Provide
  Arbitrary<List<Double>> cuts() {
    return Arbitraries.doubles().between(0, 1).list().ofMaxSize(30);
  }

  /** Random arguments: strings with markup-like and escaped characters, numbers, booleans, null, lists, objects. */
  private static Map<String, Object> arguments(Random r, boolean tags, boolean harmony, int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      String key = "k" + i + (char) ('a' + r.nextInt(26));
      map.put(key, value(r, tags, harmony, depth));
    }
    return map;
  }

  private static Object value(Random r, boolean tags, boolean harmony, int depth) {
    switch (r.nextInt(depth < 2 ? 7 : 5)) {
      case 0:
      case 1:
        return string(r, tags, harmony);
      case 2:
        return (long) r.nextInt(2000) - 1000;
      case 3:
        return r.nextBoolean();
      case 4:
        return tags ? "x" + string(r, tags, harmony) : null;
      case 5:
        List<Object> list = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          list.add((long) r.nextInt(10));
        }
        return list;
      default:
        return arguments(r, tags, harmony, depth + 1);
    }
  }

  private static String string(Random r, boolean tags, boolean harmony) {
    String alphabet = tags ? "abc XYZ.,:;!?éü😀{}[]\"'\\/" : harmony ? "abc XYZ<>/\"\\\n\té😀{}[]:,'" : "abc XYZ<>|/\"\\\n\té😀{}[]:,'｜▁";
    StringBuilder b = new StringBuilder("s");
    for (int i = r.nextInt(12); i > 0; i--) {
      int c = r.nextInt(alphabet.length());
      if (Character.isHighSurrogate(alphabet.charAt(c))) {
        b.append(alphabet, c, c + 2);
      } else if (!Character.isLowSurrogate(alphabet.charAt(c))) {
        b.append(alphabet.charAt(c));
      }
    }
    return b.toString();
  }
}

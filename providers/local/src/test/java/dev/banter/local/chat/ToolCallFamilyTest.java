package dev.banter.local.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.local.TestResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolCallFamilyTest {
  static String template(String name) {
    try {
      return new String(Files.readAllBytes(TestResources.path("chat-formats/" + name + ".jinja")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "Qwen-Qwen3-0.6B, HERMES, true",
      "Qwen-QwQ-32B, HERMES, true",
      "Qwen-Qwen2.5-7B-Instruct, HERMES, false",
      "NousResearch-Hermes-3-Llama-3.1-8B-tool_use, HERMES, false",
      "meta-llama-Llama-3.1-8B-Instruct, LLAMA3, false",
      "meta-llama-Llama-3.2-3B-Instruct, LLAMA3, false",
      "mistralai-Mistral-Nemo-Instruct-2407, MISTRAL, false",
      "mistralai-Mistral-Small-3.1-24B-Instruct-2503, MISTRAL, false",
      "Mistral-Small-3.2-24B-Instruct-2506, MISTRAL, false",
      "openai-gpt-oss-120b, GPT_OSS, false",
      "ibm-granite-granite-3.3-2B-Instruct, GRANITE, true",
      "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B, DEEPSEEK, true",
      "llama-cpp-deepseek-r1, DEEPSEEK, true",
      "deepseek-ai-DeepSeek-V3.1, DEEPSEEK, true",
      "Kimi-K2-Instruct, KIMI_K2, false",
      "Kimi-K2-Thinking, KIMI_K2, true",
      "glm_4_5, GLM_45, true",
      "GLM-4.6, GLM_45, true",
      "google-gemma-3-it, GENERIC, false",
      "google-gemma-2-2b-it, GENERIC, false",
      "microsoft-Phi-4-mini-instruct, GENERIC, false",
      "llama-cpp-microsoft-Phi-4-mini-instruct, GENERIC, false",
      "Qwen3-Coder, QWEN3_CODER, false",
      "Qwen3.5-4B, QWEN3_CODER, true",
      "unsloth-Nemotron-3-Nano, QWEN3_CODER, true",
  })
  void real_templates_map_to_their_family(String file, ToolCallFamily family, boolean thinks) {
    ChatFormat format = ChatFormat.detect(template(file));
    assertEquals(family, format.family(), file);
    assertEquals(thinks, format.thinks(), file + " thinks");
    assertEquals(family.syntax(), format.toolCallSyntax());
  }

  @Test
  void an_unknown_template_is_generic() {
    ChatFormat format = ChatFormat.detect("{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}");
    assertEquals(ToolCallFamily.GENERIC, format.family());
    assertFalse(format.thinks());
    assertEquals(ToolCallFamily.GENERIC, ToolCallFamily.detect(""));
  }

  @Test
  void gpt_oss_reasons_in_its_analysis_channel_not_in_think_tags() {
    assertFalse(ChatFormat.of(ToolCallFamily.GPT_OSS, true).thinks());
    assertTrue(ChatFormat.of(ToolCallFamily.HERMES, true).thinks());
  }

  @Test
  void mistral_ids_are_nine_letters_and_digits_others_start_with_call() {
    java.util.Random r = new java.util.Random(1);
    assertTrue(ToolCallFamily.MISTRAL.newId(r).matches("[A-Za-z0-9]{9}"));
    assertTrue(ToolCallFamily.HERMES.newId(r).matches("call_[A-Za-z0-9]{24}"));
  }
}

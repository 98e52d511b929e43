package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link HfModels}: reading hub names and picking a GGUF file the way llama.cpp's -hf does. */
class HfModelsTest {
  private static final List<String> FILES = List.of(".gitattributes", "README.md", "mmproj-model-f16.gguf",
      "Model-IQ2_XXS.gguf", "Model-Q4_K_S.gguf", "Model-Q4_K_M.gguf", "Model-Q8_0.gguf",
      "BF16/Model-BF16-00001-of-00002.gguf", "BF16/Model-BF16-00002-of-00002.gguf");

  @Test
  void names_are_org_slash_repo_with_an_optional_quant_and_hf_co_prefix() {
    assertEquals(Optional.of(new HfModels.Name("Qwen/Qwen3-0.6B-GGUF", Optional.of("Q8_0"))),
        HfModels.parse("Qwen/Qwen3-0.6B-GGUF:Q8_0"));
    assertEquals(Optional.of(new HfModels.Name("bartowski/Llama-3.2-1B-Instruct-GGUF", Optional.empty())),
        HfModels.parse("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF"));
    assertEquals("Qwen/Qwen3-0.6B-GGUF:Q8_0", HfModels.parse("Qwen/Qwen3-0.6B-GGUF:Q8_0").get().toString());
  }

  @Test
  void paths_and_urls_are_not_names() {
    for (String s : new String[] {"models/tiny.gguf", "/abs/Org/Repo", "./Org/Repo", "../x/y", "a/b/c",
        "https://huggingface.co/Org/Repo", "model.gguf", "Org/Repo:"}) {
      assertEquals(Optional.empty(), HfModels.parse(s), s);
    }
  }

  @Test
  void a_quant_matches_case_insensitively_before_a_dot_or_dash_and_not_inside_another() {
    assertEquals(Optional.of("Model-Q8_0.gguf"), HfModels.choose(FILES, Optional.of("q8_0")));
    assertEquals(Optional.of("Model-Q4_K_S.gguf"), HfModels.choose(FILES, Optional.of("Q4_K_S")));
    assertEquals(Optional.empty(), HfModels.choose(FILES, Optional.of("K_M")));
    assertEquals(Optional.empty(), HfModels.choose(FILES, Optional.of("Q4_K")));
    assertEquals(Optional.of("BF16/Model-BF16-00001-of-00002.gguf"), HfModels.choose(FILES, Optional.of("bf16")));
    assertEquals(Optional.empty(), HfModels.choose(FILES, Optional.of("F16")), "the projector is no model");
  }

  @Test
  void the_default_is_q4_k_m_then_q8_0_then_the_first_model_file() {
    assertEquals(Optional.of("Model-Q4_K_M.gguf"), HfModels.choose(FILES, Optional.empty()));
    assertEquals(Optional.of("Model-Q8_0.gguf"),
        HfModels.choose(List.of("Model-IQ2_XXS.gguf", "Model-Q8_0.gguf"), Optional.empty()));
    assertEquals(Optional.of("Model-IQ2_XXS.gguf"),
        HfModels.choose(List.of("mmproj-f16.gguf", "Model-IQ2_XXS.gguf", "Model-Q5_0.gguf"), Optional.empty()));
  }

  @Test
  void quants_are_read_from_file_names_and_listed_with_splits() {
    assertEquals(Optional.of("Q8_0"), HfModels.quantOf("Qwen3-0.6B-Q8_0.gguf"));
    assertEquals(Optional.of("Q4_K_M"), HfModels.quantOf("sub/model.q4_k_m.gguf"));
    assertEquals(Optional.of("BF16"), HfModels.quantOf("BF16/Model-BF16-00001-of-00002.gguf"));
    assertEquals("BF16 (split in 2 files), IQ2_XXS, Q4_K_M, Q4_K_S, Q8_0", HfModels.available(FILES));
  }
}

package dev.banter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.banter.api.ModelLoadException;
import dev.banter.samples.demo.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code banter models pull Org/Repo[:QUANT]} against a stand-in hub on 127.0.0.1, and finding the file offline. */
@Timeout(60)
class HfPullTest {
  private static final String REPO = "Org/Tiny-GGUF";
  private static final String TOKEN = "hf_TopSecretToken123";

  @TempDir
  Path home;

  private byte[] q4;
  private byte[] q8;

  @BeforeEach
  void content() {
    q4 = bytes(1, 200_000);
    q8 = bytes(2, 300_000);
  }

  private static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private HubServer hub() throws Exception {
    HubServer hub = new HubServer();
    hub.file(REPO, new HubServer.File("README.md", "# tiny".getBytes(), null, null));
    hub.file(REPO, "Tiny-Q4_K_M.gguf", q4);
    hub.file(REPO, "sub/Tiny-Q8_0.gguf", q8);
    hub.file(REPO, "Tiny-F16-00001-of-00002.gguf", bytes(3, 100));
    hub.file(REPO, "Tiny-F16-00002-of-00002.gguf", bytes(4, 100));
    hub.file(REPO, "mmproj-Tiny-F16.gguf", bytes(5, 100));
    return hub;
  }

  private TestIo io(HubServer hub) {
    TestIo t = new TestIo(home);
    t.env.put("HF_ENDPOINT", hub.endpoint());
    return t;
  }

  private Path repoDir() {
    return home.resolve("models").resolve("hf").resolve("Org").resolve("Tiny-GGUF");
  }

  @Test
  void a_quant_is_matched_case_insensitively_in_a_subfolder_downloaded_through_the_redirect_and_verified()
      throws Exception {
    try (HubServer hub = hub()) {
      TestIo t = io(hub);
      assertEquals(0, t.run("models", "pull", REPO + ":q8_0"), t.err.text());
      Path file = repoDir().resolve("sub").resolve("Tiny-Q8_0.gguf");
      assertArrayEquals(q8, Files.readAllBytes(file));
      assertEquals(file.toString(), t.out.text().trim());
      assertTrue(t.err.text().contains("(verified)"), t.err.text());
      assertTrue(t.err.text().contains("banter chat -m Org/Tiny-GGUF:q8_0"), t.err.text());
      assertFalse(t.err.text().contains("signedsecret"), "no signed CDN address in messages: " + t.err.text());
      assertEquals(1, hub.requests("/api/models/Org/Tiny-GGUF/tree/main").size());
      assertEquals(1, hub.requests("/Org/Tiny-GGUF/resolve/main/sub/Tiny-Q8_0.gguf").size());
      assertEquals(1, hub.requests("/cdn/").size(), "followed the 302 to the CDN");
    }
  }

  @Test
  void without_a_quant_q4_k_m_is_taken_and_the_name_finds_it_again_offline() throws Exception {
    try (HubServer hub = hub()) {
      TestIo t = io(hub);
      assertEquals(0, t.run("models", "pull", "hf.co/" + REPO), t.err.text());
      Path file = repoDir().resolve("Tiny-Q4_K_M.gguf");
      assertArrayEquals(q4, Files.readAllBytes(file));
      assertTrue(t.err.text().contains("banter chat -m Org/Tiny-GGUF:Q4_K_M"), t.err.text());
    }
    Path models = home.resolve("models");
    assertEquals(repoDir().resolve("Tiny-Q4_K_M.gguf").toString(), HfModels.resolveSetting(REPO, models));
    assertEquals(repoDir().resolve("Tiny-Q4_K_M.gguf").toString(), HfModels.resolveSetting(REPO + ":Q4_K_M", models));
    ModelLoadException e = assertThrows(ModelLoadException.class,
        () -> HfModels.resolveSetting(REPO + ":Q8_0", models));
    assertTrue(e.getMessage().contains("not downloaded yet") && e.getMessage().contains(
        "banter models pull Org/Tiny-GGUF:Q8_0"), e.getMessage());
  }

  @Test
  void a_second_pull_finds_the_file_already_there() throws Exception {
    try (HubServer hub = hub()) {
      assertEquals(0, io(hub).run("models", "pull", REPO + ":Q4_K_M"));
      TestIo again = io(hub);
      assertEquals(0, again.run("models", "pull", REPO + ":Q4_K_M"));
      assertTrue(again.err.text().contains("Already downloaded"), again.err.text());
      assertEquals(1, hub.requests("/cdn/").size());
    }
  }

  @Test
  void a_listing_without_lfs_is_verified_with_the_x_linked_etag() throws Exception {
    try (HubServer hub = new HubServer()) {
      hub.file("Org/Plain-GGUF", new HubServer.File("plain-Q8_0.gguf", q8, null, HubServer.sha256(q8)));
      TestIo t = io(hub);
      assertEquals(0, t.run("models", "pull", "Org/Plain-GGUF:Q8_0"), t.err.text());
      assertTrue(t.err.text().contains("(verified)"), t.err.text());
      assertEquals("HEAD", hub.requests("/Org/Plain-GGUF/resolve/").get(0).method());
    }
  }

  @Test
  void a_dropped_transfer_resumes_with_a_range_request_through_a_new_redirect() throws Exception {
    try (HubServer hub = hub()) {
      hub.cutAfter = 100_000;
      hub.drops.set(1);
      TestIo t = io(hub);
      assertEquals(0, t.run("models", "pull", REPO + ":Q8_0"), t.err.text());
      assertArrayEquals(q8, Files.readAllBytes(repoDir().resolve("sub/Tiny-Q8_0.gguf")));
      List<HubServer.Request> cdn = hub.requests("/cdn/");
      assertEquals(2, cdn.size());
      assertEquals("", cdn.get(0).range());
      assertTrue(cdn.get(1).range().matches("bytes=\\d+-") && !cdn.get(1).range().equals("bytes=0-"), cdn.toString());
      assertTrue(t.err.text().contains("resuming"), t.err.text());
    }
  }

  @Test
  void a_gated_repository_needs_hf_token_which_reaches_the_hub_only_and_is_never_printed() throws Exception {
    try (HubServer hub = hub()) {
      hub.gate(REPO, TOKEN);
      TestIo without = io(hub);
      assertEquals(ExitCode.FAILURE, without.run("models", "pull", REPO + ":Q8_0"));
      assertTrue(without.err.text().contains("HTTP 401") && without.err.text().contains("set HF_TOKEN")
          && without.err.text().contains(hub.endpoint() + "/" + REPO), without.err.text());
      assertFalse(Files.exists(repoDir().resolve("sub/Tiny-Q8_0.gguf")));

      TestIo wrong = io(hub);
      wrong.env.put("HF_TOKEN", "hf_WrongToken999");
      assertEquals(ExitCode.FAILURE, wrong.run("models", "pull", REPO + ":Q8_0"));
      assertTrue(wrong.err.text().contains("HTTP 403") && wrong.err.text().contains("accept the model's licence on "
          + hub.endpoint() + "/" + REPO), wrong.err.text());
      assertFalse((wrong.out.text() + wrong.err.text()).contains("hf_WrongToken999"), wrong.err.text());

      TestIo with = io(hub);
      with.env.put("HF_TOKEN", TOKEN);
      with.env.put("BANTER_DEBUG", "1");
      assertEquals(0, with.run("models", "pull", REPO + ":Q8_0"), with.err.text());
      assertArrayEquals(q8, Files.readAllBytes(repoDir().resolve("sub/Tiny-Q8_0.gguf")));
      assertFalse((with.out.text() + with.err.text()).contains(TOKEN), with.err.text());
      List<HubServer.Request> resolves = hub.requests("/Org/Tiny-GGUF/resolve/");
      assertEquals("Bearer " + TOKEN, resolves.get(resolves.size() - 1).authorization(), "the token reaches the hub");
      assertEquals("Bearer " + TOKEN, hub.requests("/api/models/").get(2).authorization());
      for (HubServer.Request r : hub.requests("/cdn/")) {
        assertEquals("", r.authorization(), "the token never goes to the CDN");
      }
    }
  }

  @Test
  void a_wrong_checksum_discards_the_download_with_a_clear_error() throws Exception {
    try (HubServer hub = new HubServer()) {
      String other = HubServer.sha256(q4);
      hub.file(REPO, new HubServer.File("Tiny-Q8_0.gguf", q8, other, other));
      TestIo t = io(hub);
      assertEquals(ExitCode.FAILURE, t.run("models", "pull", REPO + ":Q8_0"));
      assertTrue(t.err.text().contains("Checksum mismatch") && t.err.text().contains(other)
          && t.err.text().contains("discarded"), t.err.text());
      assertFalse(Files.exists(repoDir().resolve("Tiny-Q8_0.gguf")));
      assertFalse(Files.exists(repoDir().resolve("Tiny-Q8_0.gguf.part")));
    }
  }

  @Test
  void a_missing_quant_lists_the_available_ones() throws Exception {
    try (HubServer hub = hub()) {
      TestIo t = io(hub);
      assertEquals(ExitCode.FAILURE, t.run("models", "pull", REPO + ":Q5_K_S"));
      assertTrue(t.err.text().contains("No GGUF file for quant 'Q5_K_S' in Org/Tiny-GGUF. Available: "
          + "F16 (split in 2 files), Q4_K_M, Q8_0."), t.err.text());
      assertEquals(0, hub.requests("/cdn/").size());
    }
  }

  @Test
  void a_split_model_is_refused_clearly() throws Exception {
    try (HubServer hub = hub()) {
      TestIo t = io(hub);
      assertEquals(ExitCode.FAILURE, t.run("models", "pull", REPO + ":F16"));
      assertTrue(t.err.text().contains("split into 2 files") && t.err.text().contains("llama-gguf-split --merge"),
          t.err.text());
      assertEquals(0, hub.requests("/cdn/").size());
    }
  }

  @Test
  void an_unknown_repository_says_to_check_the_name_or_set_hf_token() throws Exception {
    try (HubServer hub = hub()) {
      TestIo t = io(hub);
      assertEquals(ExitCode.FAILURE, t.run("models", "pull", "Org/Nope-GGUF:Q8_0"));
      assertTrue(t.err.text().contains("Org/Nope-GGUF") && t.err.text().contains("does not exist")
          && t.err.text().contains("HF_TOKEN"), t.err.text());
    }
  }

  @Test
  void hub_names_refuse_url_only_options_and_bad_names_are_usage_errors() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.USAGE, t.run("models", "pull", REPO + ":Q8_0", "--sha256", "0".repeat(64)));
    assertEquals(ExitCode.USAGE, t.run("models", "pull", "just-a-word"));
    assertEquals(ExitCode.USAGE, t.run("models", "pull", "http://127.0.0.1:1/x.gguf", "--hf-endpoint", "http://x"));
  }

  @Test
  void list_shows_pulled_files_by_the_name_chat_takes() throws Exception {
    try (HubServer hub = hub()) {
      assertEquals(0, io(hub).run("models", "pull", REPO + ":Q8_0"));
    }
    Files.write(repoDir().resolve("Tiny-Q4_K_M.gguf.part"), new byte[10]);
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("models", "list"));
    String out = t.out.text();
    assertTrue(out.contains("300 KB  Org/Tiny-GGUF:Q8_0  (hf/Org/Tiny-GGUF/sub/Tiny-Q8_0.gguf)"), out);
    assertTrue(out.contains("Org/Tiny-GGUF:Q4_K_M  (hf/Org/Tiny-GGUF/Tiny-Q4_K_M.gguf.part)  (unfinished download; "
        + "'banter models pull Org/Tiny-GGUF:Q4_K_M' resumes it)"), out);
  }

  @Test
  void chat_runs_a_pulled_model_by_its_hub_name_without_the_network() throws Exception {
    byte[] demo = Files.readAllBytes(DemoModel.extractTo(home.resolve("demo")));
    try (HubServer hub = new HubServer()) {
      hub.file("Banter/Demo-GGUF", "demo-Q8_0.gguf", demo);
      assertEquals(0, io(hub).run("models", "pull", "Banter/Demo-GGUF:Q8_0"));
    }
    // the hub is gone: chat and inspect resolve the name from the cache alone
    TestIo t = new TestIo(home);
    assertEquals(0, t.run("chat", "-m", "Banter/Demo-GGUF:Q8_0", "--prompt", "Tell me a joke.", "--seed", "1",
        "--max-tokens", "8"), t.err.text());
    assertFalse(t.out.text().isBlank(), t.err.text());
    TestIo inspect = new TestIo(home);
    assertEquals(0, inspect.run("models", "inspect", "Banter/Demo-GGUF:Q8_0"), inspect.err.text());
    assertTrue(inspect.out.text().contains("demo-Q8_0.gguf"), inspect.out.text());
  }

  @Test
  void chat_with_a_hub_name_not_pulled_says_which_pull_to_run() {
    TestIo t = new TestIo(home);
    assertEquals(ExitCode.MODEL_LOAD, t.run("chat", "-m", "Qwen/Qwen3-0.6B-GGUF:Q8_0", "--prompt", "hi"));
    assertTrue(t.err.text().contains("banter models pull Qwen/Qwen3-0.6B-GGUF:Q8_0"), t.err.text());
    try (Stream<Path> files = Files.walk(home)) {
      assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".gguf")).collect(Collectors.toList()),
          "nothing downloaded implicitly");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

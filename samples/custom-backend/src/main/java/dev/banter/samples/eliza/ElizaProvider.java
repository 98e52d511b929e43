package dev.banter.samples.eliza;

import dev.banter.spi.Backend;
import dev.banter.spi.BackendConfig;
import dev.banter.spi.BackendProvider;
import dev.banter.spi.Setting;
import java.util.List;

/**
 * Provides the {@code eliza} backend: a rule-based conversational partner in the style of
 * Weizenbaum's 1966 ELIZA, built against banter-spi alone — the example of how anyone writes a
 * Banter backend plugin. Registered in {@code META-INF/services/dev.banter.spi.BackendProvider}.
 * Settings: {@code word-delay} (a duration between streamed words, default none).
 *
 * <pre>{@code
 * ChatModel eliza = Banter.builder().backend("eliza").persona("witty").build();
 * System.out.println(eliza.chat("I need a holiday.").text());
 * }</pre>
 */
// tag::provider[]
public final class ElizaProvider implements BackendProvider {
  /** The provider {@link java.util.ServiceLoader} instantiates. */
  public ElizaProvider() {}

  @Override
  public String id() {
    return "eliza";
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String description() {
    return "ELIZA (1966), a rule-based conversational partner: a sample plugin";
  }

  @Override
  public List<Setting> settings() {
    return List.of(Setting.of("word-delay", "a pause between streamed words, such as 100ms (default none)"));
  }

  @Override
  public Backend create(BackendConfig config) {
    return new ElizaBackend(config);
  }
}
// end::provider[]

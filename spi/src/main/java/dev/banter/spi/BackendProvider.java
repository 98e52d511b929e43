package dev.banter.spi;

import java.util.List;

/**
 * Creates {@link Backend}s of one kind; found by {@link java.util.ServiceLoader}. A plugin jar
 * lists its implementation in {@code META-INF/services/dev.banter.spi.BackendProvider} (and says
 * {@code provides} in its {@code module-info}). Implementations need a public no-argument
 * constructor and must be thread-safe.
 *
 * <pre>{@code
 * public final class EchoProvider implements BackendProvider {
 *   public String id() { return "echo"; }
 *   public int spiVersion() { return SPI_VERSION; }
 *   public List<Setting> settings() { return List.of(Setting.of("prefix", "text put before each echo")); }
 *   public Backend create(BackendConfig config) { return new EchoBackend(config); }
 * }
 * }</pre>
 */
public interface BackendProvider {
  /**
   * The SPI version this interface describes. A provider returns it from {@link #spiVersion()},
   * where the compiler copies the value into the provider's own class.
   */
  int SPI_VERSION = 2;

  /** The id users select the backend by: lower case, for example {@code local} or {@code xai}. */
  String id();

  /**
   * The SPI version the provider was built against; write {@code return SPI_VERSION;}. Core
   * refuses a provider built for another version, with a message naming it.
   */
  int spiVersion();

  /** One line for listings and error messages; may be empty. */
  default String description() {
    return "";
  }

  /**
   * The settings the backend reads. Core refuses any other key set for it, with a message listing
   * these, so a misspelt setting is an error rather than silently ignored.
   */
  List<Setting> settings();

  /**
   * Creates a backend from settings.
   *
   * @throws dev.banter.api.ConfigurationException naming the missing or invalid setting
   * @throws dev.banter.api.ModelLoadException when a model file cannot be loaded
   */
  Backend create(BackendConfig config);
}

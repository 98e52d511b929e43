package dev.banter.spi;

import dev.banter.api.ConfigurationException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The settings of one backend, looked up in three layers: values set in code (or read from a
 * JSON configuration file by core), then the system property {@code banter.<backend>.<key>},
 * then the environment variable {@code BANTER_<BACKEND>_<KEY>} (upper case, other characters
 * turned into {@code _}). Values are strings with typed accessors; secrets are held as
 * {@link Secret} and shown as {@code ****} by {@link #toString()}. The system properties are read
 * once, when the configuration is built; the environment is the process's, which does not change.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * BackendConfig c = BackendConfig.builder("xai").set("model", "grok-4").build();
 * String model = c.require("model");
 * Secret key = c.secret("api-key", "XAI_API_KEY").orElseThrow();
 * Duration timeout = c.getDuration("connect-timeout", Duration.ofSeconds(5));
 * }</pre>
 */
public final class BackendConfig {
  private static final Set<String> SECRET_WORDS = Set.of("key", "token", "secret", "password", "credential");
  private static final Pattern URL_USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/?#@\\s,]*@");
  private static final Pattern URL_QUERY = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^?#\\s,]*)\\?[^#\\s,]*");

  private final String backendId;
  private final Map<String, String> values;
  private final Map<String, Secret> secrets;
  private final Function<String, String> environment;
  private final Properties systemPropertiesSource;
  private final Map<String, String> properties;

  private BackendConfig(Builder b) {
    this.backendId = b.backendId;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
    this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(b.secrets));
    this.environment = b.environment;
    this.systemPropertiesSource = b.systemProperties;
    String prefix = "banter." + backendId + ".";
    Map<String, String> snapshot = new TreeMap<>();
    for (String name : b.systemProperties.stringPropertyNames()) {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        snapshot.put(name.substring(prefix.length()), b.systemProperties.getProperty(name));
      }
    }
    this.properties = Collections.unmodifiableMap(snapshot);
  }

  public static Builder builder(String backendId) {
    return new Builder(backendId);
  }

  /** A builder holding this configuration's code-level values, secrets and sources. */
  public Builder toBuilder() {
    Builder b = new Builder(backendId);
    b.values.putAll(values);
    b.secrets.putAll(secrets);
    b.environment = environment;
    b.systemProperties = systemPropertiesSource;
    return b;
  }

  /** The id of the backend these settings are for. */
  public String backendId() {
    return backendId;
  }

  /** A setting's value from code, system properties or environment, in that order. */
  public Optional<String> get(String key) {
    Objects.requireNonNull(key, "key");
    String v = values.get(key);
    if (v == null && secrets.containsKey(key)) {
      v = secrets.get(key).reveal();
    }
    if (v == null) {
      v = properties.get(key);
    }
    if (v == null) {
      v = environment.apply(environmentName(key));
    }
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /**
   * A setting that must be there.
   *
   * @throws ConfigurationException naming the key and the places it was looked for
   */
  public String require(String key) {
    return get(key).orElseThrow(() -> new ConfigurationException(
        "Backend '" + backendId + "' needs the setting '" + key + "'. Set it in code (.set(\"" + key
            + "\", ...)), in the configuration file, as system property " + propertyName(key)
            + " or as environment variable " + environmentName(key) + ".",
        "backend " + backendId, key, null));
  }

  public String getString(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  /** @throws ConfigurationException if the value is not an integer */
  public int getInt(String key, int defaultValue) {
    Optional<String> v = get(key);
    if (!v.isPresent()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.get().trim());
    } catch (NumberFormatException e) {
      throw invalid(key, v.get(), "an integer", e);
    }
  }

  /** @throws ConfigurationException if the value is not a number */
  public double getDouble(String key, double defaultValue) {
    Optional<String> v = get(key);
    if (!v.isPresent()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v.get().trim());
    } catch (NumberFormatException e) {
      throw invalid(key, v.get(), "a number", e);
    }
  }

  /** {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}. */
  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> v = get(key);
    if (!v.isPresent()) {
      return defaultValue;
    }
    return switch (v.get().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw invalid(key, v.get(), "true or false", null);
    };
  }

  /**
   * A duration written as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, a plain number of
   * seconds, or ISO-8601 ({@code PT30S}).
   */
  public Duration getDuration(String key, Duration defaultValue) {
    Optional<String> v = get(key);
    if (!v.isPresent()) {
      return defaultValue;
    }
    try {
      return parseDuration(v.get());
    } catch (RuntimeException e) {
      throw invalid(key, v.get(), "a duration such as 500ms, 30s, 2m or PT30S", e);
    }
  }

  /** A comma-separated list, trimmed, without empty items; empty when unset. */
  public List<String> getList(String key) {
    List<String> out = new ArrayList<>();
    get(key).ifPresent(v -> {
      for (String part : v.split(",")) {
        if (!part.trim().isEmpty()) {
          out.add(part.trim());
        }
      }
    });
    return Collections.unmodifiableList(out);
  }

  public Optional<Path> getPath(String key) {
    return get(key).map(Paths::get);
  }

  /**
   * A secret setting: the value set for {@code key} in any layer, else the first of the
   * environment variables named (for example {@code XAI_API_KEY}).
   */
  public Optional<Secret> secret(String key, String... environmentFallbacks) {
    Secret s = secrets.get(key);
    if (s != null) {
      return Optional.of(s);
    }
    Optional<String> v = get(key);
    if (v.isPresent()) {
      return Optional.of(Secret.of(v.get()));
    }
    for (String name : environmentFallbacks) {
      String e = environment.apply(name);
      if (e != null && !e.isEmpty()) {
        return Optional.of(Secret.of(e));
      }
    }
    return Optional.empty();
  }

  /** An environment variable, through the same (replaceable) environment the settings use. */
  public Optional<String> environmentVariable(String name) {
    String v = environment.apply(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** The keys set in code (not those only present in properties or the environment). */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>(values.keySet());
    keys.addAll(secrets.keySet());
    return Collections.unmodifiableSet(keys);
  }

  /**
   * Checks that every key set in code, and every {@code banter.<backend>.*} system property, is
   * one of {@code known}.
   *
   * @throws ConfigurationException naming the first unknown key, the closest known one, and all
   *     known keys
   */
  public void requireKnown(List<Setting> known) {
    Set<String> names = new TreeSet<>();
    for (Setting s : known) {
      names.add(s.key());
    }
    Set<String> given = new TreeSet<>(keys());
    given.addAll(properties.keySet());
    for (String key : given) {
      if (!names.contains(key)) {
        String where = values.containsKey(key) || secrets.containsKey(key) ? "" : " (system property "
            + propertyName(key) + ")";
        String suggestion = closest(key, names).map(k -> " Did you mean '" + k + "'?").orElse("");
        throw new ConfigurationException("Backend '" + backendId + "' has no setting '" + key + "'" + where + "."
            + suggestion + " Its settings: " + String.join(", ", names) + ".", "backend " + backendId, key, null);
      }
    }
  }

  private static Optional<String> closest(String key, Set<String> names) {
    String best = null;
    int bestDistance = 3;
    for (String n : names) {
      int d = editDistance(key, n);
      if (d < bestDistance) {
        best = n;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The system property consulted for {@code key}: {@code banter.<backend>.<key>}. */
  public String propertyName(String key) {
    return "banter." + backendId + "." + key;
  }

  /** The environment variable consulted for {@code key}: {@code BANTER_<BACKEND>_<KEY>}. */
  public String environmentName(String key) {
    return ("BANTER_" + backendId + "_" + key).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** Whether a setting's name marks it as secret (it contains key, token, secret, password). */
  public static boolean looksSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String w : SECRET_WORDS) {
      if (k.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses a duration written as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, a plain
   * number of seconds, or ISO-8601 ({@code PT30S}).
   *
   * @throws IllegalArgumentException (or {@link java.time.format.DateTimeParseException}) if it is none of these
   */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    }
    Duration d;
    if (t.endsWith("ms")) {
      d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
    } else if (t.endsWith("s")) {
      d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
    } else if (t.endsWith("m")) {
      d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 60));
    } else if (t.endsWith("h")) {
      d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 3600));
    } else {
      d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration");
    }
    return d;
  }

  private ConfigurationException invalid(String key, String value, String expected, Throwable cause) {
    String shown = looksSecret(key) ? "****" : "'" + redactUrls(value) + "'";
    return new ConfigurationException("Backend '" + backendId + "': setting '" + key + "' must be " + expected
        + ", got " + shown + ".", "backend " + backendId, key, cause);
  }

  /**
   * {@code text} as it may be printed in a message or a log line: the user information and the
   * query of every URL in it, where passwords and signed tokens travel, become {@code ****}.
   *
   * <pre>{@code
   * BackendConfig.redactUrls("http://bob:pw@gpu1:8000/v1?sig=x"); // "http://****@gpu1:8000/v1?****"
   * }</pre>
   */
  public static String redactUrls(String text) {
    if (!text.contains("://")) {
      return text;
    }
    String out = URL_USER_INFO.matcher(text).replaceAll("$1****@");
    return URL_QUERY.matcher(out).replaceAll("$1?****");
  }

  /**
   * The settings set in code, with every secret shown as {@code ****}, as are the user
   * information and query of URLs.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BackendConfig{").append(backendId);
    for (Map.Entry<String, String> e : values.entrySet()) {
      sb.append(", ").append(e.getKey()).append('=').append(looksSecret(e.getKey()) ? "****" : redactUrls(e.getValue()));
    }
    for (String k : secrets.keySet()) {
      sb.append(", ").append(k).append("=****");
    }
    return sb.append('}').toString();
  }

  /**
   * Collects settings. Not thread-safe.
   *
   * <pre>{@code
   * BackendConfig c = BackendConfig.builder("inference-server")
   *     .set("endpoints", "http://gpu1:8000/v1").secret("api-key", Secret.of(key)).build();
   * }</pre>
   */
  public static final class Builder {
    private final String backendId;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private Function<String, String> environment = System::getenv;
    private Properties systemProperties = System.getProperties();

    private Builder(String backendId) {
      Objects.requireNonNull(backendId, "backendId");
      if (!backendId.matches("[a-z0-9][a-z0-9._-]*")) {
        throw new IllegalArgumentException("backend id must be lower-case letters, digits, '.', '_' or '-', got '"
            + backendId + "'");
      }
      this.backendId = backendId;
    }

    /**
     * Sets a value. A key that looks secret (see {@link BackendConfig#looksSecret}) is stored as a
     * {@link Secret}; an empty value, as for any key, counts as unset.
     */
    public Builder set(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value of " + key);
      if (looksSecret(key) && !value.isEmpty()) {
        return secret(key, Secret.of(value));
      }
      values.put(key, value);
      secrets.remove(key);
      return this;
    }

    /** Sets every entry of {@code settings}. */
    public Builder setAll(Map<String, String> settings) {
      Objects.requireNonNull(settings, "settings").forEach(this::set);
      return this;
    }

    public Builder secret(String key, Secret secret) {
      Objects.requireNonNull(key, "key");
      secrets.put(key, Objects.requireNonNull(secret, "secret"));
      values.remove(key);
      return this;
    }

    /** Replaces the environment (the default is {@link System#getenv(String)}); for tests and embedding. */
    public Builder environment(Function<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Replaces the system properties consulted (the default is {@link System#getProperties()});
     * they are read when {@link #build()} runs.
     */
    public Builder systemProperties(Properties properties) {
      this.systemProperties = Objects.requireNonNull(properties, "properties");
      return this;
    }

    public BackendConfig build() {
      return new BackendConfig(this);
    }
  }
}

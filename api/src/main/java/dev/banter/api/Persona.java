package dev.banter.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A personality the model answers with: a system prompt, style traits, default sampling options,
 * few-shot examples and a refusal posture. Banter ships {@code witty} (a Grok-style fun mode:
 * playful, irreverent, still accurate) and {@code regular} (plain and factual); applications add
 * their own in code, as JSON files, or through a {@code PersonaProvider}. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Persona pirate = Persona.builder("pirate")
 *     .displayName("Captain")
 *     .systemPrompt("You are a pirate who answers accurately, in pirate speak.")
 *     .traits(new StyleTraits(0.8, 0.6, 0.3))
 *     .defaults(GenerationOptions.builder().temperature(0.9).build())
 *     .build();
 * }</pre>
 */
public final class Persona {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  private final String id;
  private final String displayName;
  private final String description;
  private final String systemPrompt;
  private final String shortSystemPrompt;
  private final StyleTraits traits;
  private final GenerationOptions defaults;
  private final List<Exchange> examples;
  private final RefusalPosture refusalPosture;

  private Persona(Builder b) {
    this.id = b.id;
    this.displayName = b.displayName == null ? b.id : b.displayName;
    this.description = b.description;
    this.systemPrompt = b.systemPrompt;
    this.shortSystemPrompt = b.shortSystemPrompt;
    this.traits = b.traits;
    this.defaults = b.defaults;
    this.examples = Collections.unmodifiableList(new ArrayList<>(b.examples));
    this.refusalPosture = b.refusalPosture;
  }

  /**
   * Starts a persona.
   *
   * @param id lower-case letters, digits, {@code -} and {@code _}, at most 64 characters
   * @throws IllegalArgumentException naming the bad id
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.displayName = displayName;
    b.description = description;
    b.systemPrompt = systemPrompt;
    b.shortSystemPrompt = shortSystemPrompt;
    b.traits = traits;
    b.defaults = defaults;
    b.examples.addAll(examples);
    b.refusalPosture = refusalPosture;
    return b;
  }

  /** The id used to select the persona, for example {@code witty}. */
  public String id() {
    return id;
  }

  /** A name to show users; the id when none was given. */
  public String displayName() {
    return displayName;
  }

  /** One line saying what the persona is like; may be empty. */
  public String description() {
    return description;
  }

  /** The persona's own instructions, before Banter adds its style and refusal guidance. */
  public String systemPrompt() {
    return systemPrompt;
  }

  /**
   * A one-line version of the prompt for models with a small context window (Banter uses it, and
   * leaves out style guidance and examples, below 1024 tokens of context); empty when the persona
   * has none, and then the full prompt is used.
   */
  public String shortSystemPrompt() {
    return shortSystemPrompt;
  }

  public StyleTraits traits() {
    return traits;
  }

  /** Sampling defaults; a request's own options override them field by field. */
  public GenerationOptions defaults() {
    return defaults;
  }

  /** Few-shot examples placed before the conversation; empty when none. */
  public List<Exchange> examples() {
    return examples;
  }

  public RefusalPosture refusalPosture() {
    return refusalPosture;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Persona p)) {
      return false;
    }
    return id.equals(p.id) && displayName.equals(p.displayName) && description.equals(p.description)
        && systemPrompt.equals(p.systemPrompt) && shortSystemPrompt.equals(p.shortSystemPrompt)
        && traits.equals(p.traits) && defaults.equals(p.defaults)
        && examples.equals(p.examples) && refusalPosture == p.refusalPosture;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, displayName, description, systemPrompt, shortSystemPrompt, traits, defaults, examples,
        refusalPosture);
  }

  @Override
  public String toString() {
    return "Persona{" + id + ", " + traits + ", " + refusalPosture + '}';
  }

  /**
   * Collects a persona. Not thread-safe.
   *
   * <pre>{@code
   * Persona pirate = Persona.builder("pirate").systemPrompt("Answer as a pirate.")
   *     .example("Hello!", "Ahoy, matey!").build();
   * }</pre>
   */
  public static final class Builder {
    private final String id;
    private String displayName;
    private String description = "";
    private String systemPrompt = "";
    private String shortSystemPrompt = "";
    private StyleTraits traits = StyleTraits.neutral();
    private GenerationOptions defaults = GenerationOptions.defaults();
    private final List<Exchange> examples = new ArrayList<>();
    private RefusalPosture refusalPosture = RefusalPosture.BALANCED;

    private Builder(String id) {
      Objects.requireNonNull(id, "id");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException("persona id must match [a-z0-9][a-z0-9_-]{0,63}, got '" + id + "'");
      }
      this.id = id;
    }

    public Builder displayName(String displayName) {
      this.displayName = Objects.requireNonNull(displayName, "displayName");
      return this;
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    public Builder systemPrompt(String systemPrompt) {
      this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
      return this;
    }

    /** A one-line prompt for small models (see {@link Persona#shortSystemPrompt()}). */
    public Builder shortSystemPrompt(String shortSystemPrompt) {
      this.shortSystemPrompt = Objects.requireNonNull(shortSystemPrompt, "shortSystemPrompt");
      return this;
    }

    public Builder traits(StyleTraits traits) {
      this.traits = Objects.requireNonNull(traits, "traits");
      return this;
    }

    public Builder defaults(GenerationOptions defaults) {
      this.defaults = Objects.requireNonNull(defaults, "defaults");
      return this;
    }

    /** Replaces the few-shot examples. */
    public Builder examples(List<Exchange> examples) {
      Objects.requireNonNull(examples, "examples");
      this.examples.clear();
      for (Exchange e : examples) {
        this.examples.add(Objects.requireNonNull(e, "examples must not contain null"));
      }
      return this;
    }

    /** Appends a few-shot example. */
    public Builder example(String user, String assistant) {
      examples.add(new Exchange(user, assistant));
      return this;
    }

    public Builder refusalPosture(RefusalPosture refusalPosture) {
      this.refusalPosture = Objects.requireNonNull(refusalPosture, "refusalPosture");
      return this;
    }

    /**
     * @throws IllegalArgumentException if the system prompt is blank
     */
    public Persona build() {
      if (systemPrompt.trim().isEmpty()) {
        throw new IllegalArgumentException("persona '" + id + "' needs a non-blank systemPrompt");
      }
      return new Persona(this);
    }
  }
}

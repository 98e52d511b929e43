package dev.banter.spi;

import dev.banter.api.Persona;
import java.util.List;

/**
 * Contributes personas to every {@code Banter} runtime; found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/dev.banter.spi.PersonaProvider}. Implementations need a public
 * no-argument constructor and must be thread-safe. A persona id that is already taken (by a
 * built-in or another provider) is an error naming both sources.
 *
 * <pre>{@code
 * public final class PiratePersonas implements PersonaProvider {
 *   public List<Persona> personas() {
 *     return List.of(Persona.builder("pirate").systemPrompt("Answer as a pirate.").build());
 *   }
 * }
 * }</pre>
 */
public interface PersonaProvider {
  /** The personas this provider offers; called once per runtime. */
  List<Persona> personas();
}

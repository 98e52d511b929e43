package dev.banter.api;

/**
 * The style of a {@link Persona}, each trait from 0 to 1: how much humour, how blunt, how
 * wordy. Banter turns them into instructions in the system prompt. Immutable and thread-safe.
 *
 * <pre>{@code
 * StyleTraits grokish = new StyleTraits(0.9, 0.8, 0.4); // funny, candid, fairly brief
 * }</pre>
 *
 * @param humor 0 = no jokes, 1 = jokes whenever they fit
 * @param candor 0 = diplomatic, 1 = blunt and direct
 * @param verbosity 0 = as short as possible, 1 = thorough and long
 */
public record StyleTraits(double humor, double candor, double verbosity) {
  private static final StyleTraits NEUTRAL = new StyleTraits(0.2, 0.5, 0.5);

  /** @throws IllegalArgumentException if a trait is outside [0, 1] */
  public StyleTraits {
    check("humor", humor);
    check("candor", candor);
    check("verbosity", verbosity);
  }

  /** Little humour, moderate candour and length. */
  public static StyleTraits neutral() {
    return NEUTRAL;
  }

  private static void check(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }
}

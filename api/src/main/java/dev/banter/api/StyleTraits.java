package dev.banter.api;

/**
 * The style of a {@link Persona}, each trait from 0 to 1: how much humour, how blunt, how
 * wordy. Banter turns them into instructions in the system prompt. Immutable and thread-safe.
 *
 * <pre>{@code
 * StyleTraits grokish = new StyleTraits(0.9, 0.8, 0.4); // funny, candid, fairly brief
 * }</pre>
 */
public final class StyleTraits {
  private static final StyleTraits NEUTRAL = new StyleTraits(0.2, 0.5, 0.5);

  private final double humor;
  private final double candor;
  private final double verbosity;

  public StyleTraits(double humor, double candor, double verbosity) {
    check("humor", humor);
    check("candor", candor);
    check("verbosity", verbosity);
    this.humor = humor;
    this.candor = candor;
    this.verbosity = verbosity;
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

  /** 0 = no jokes, 1 = jokes whenever they fit. */
  public double humor() {
    return humor;
  }

  /** 0 = diplomatic, 1 = blunt and direct. */
  public double candor() {
    return candor;
  }

  /** 0 = as short as possible, 1 = thorough and long. */
  public double verbosity() {
    return verbosity;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof StyleTraits)) {
      return false;
    }
    StyleTraits o = (StyleTraits) other;
    return Double.compare(humor, o.humor) == 0
        && Double.compare(candor, o.candor) == 0
        && Double.compare(verbosity, o.verbosity) == 0;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(humor, candor, verbosity);
  }

  @Override
  public String toString() {
    return "StyleTraits[" + "humor=" + humor + ", " + "candor=" + candor + ", " + "verbosity=" + verbosity + "]";
  }
}

package dev.banter.local.gguf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value: a scalar, a string or an array (arrays may nest). Immutable and
 * thread-safe; accessors that return arrays return copies.
 *
 * <p>Unsigned 64-bit values are held in a {@code long} with the same bits (read them with
 * {@link Long#toUnsignedString(long)} when they may exceed {@link Long#MAX_VALUE}). Strings keep
 * their exact bytes, so a vocabulary entry that is not valid UTF-8 survives a read and a write.
 *
 * <pre>{@code
 * GgufValue v = GgufValue.ofUint32(4096);
 * long n = v.asLong();
 * GgufValue tokens = GgufValue.ofStringArray(List.of("<unk>", "<s>", "</s>"));
 * String second = tokens.stringAt(1);
 * }</pre>
 */
public final class GgufValue {
  private final GgufType type;
  private final GgufType elementType;
  private final long bits;
  private final double real;
  /** byte[] for STRING; for ARRAY one of byte[], short[], int[], long[], float[], double[], byte[][], GgufValue[]. */
  private final Object payload;
  private final int size;

  private GgufValue(GgufType type, GgufType elementType, long bits, double real, Object payload, int size) {
    this.type = type;
    this.elementType = elementType;
    this.bits = bits;
    this.real = real;
    this.payload = payload;
    this.size = size;
  }

  // ---- scalar factories

  public static GgufValue ofUint8(int v) {
    checkRange(v, 0, 0xFF, "uint8");
    return integer(GgufType.UINT8, v);
  }

  public static GgufValue ofInt8(int v) {
    checkRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "int8");
    return integer(GgufType.INT8, v);
  }

  public static GgufValue ofUint16(int v) {
    checkRange(v, 0, 0xFFFF, "uint16");
    return integer(GgufType.UINT16, v);
  }

  public static GgufValue ofInt16(int v) {
    checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, "int16");
    return integer(GgufType.INT16, v);
  }

  public static GgufValue ofUint32(long v) {
    checkRange(v, 0, 0xFFFF_FFFFL, "uint32");
    return integer(GgufType.UINT32, v);
  }

  public static GgufValue ofInt32(int v) {
    return integer(GgufType.INT32, v);
  }

  /** A uint64 holding the bits of {@code v} (negative Java values stand for values above 2^63 - 1). */
  public static GgufValue ofUint64(long v) {
    return integer(GgufType.UINT64, v);
  }

  public static GgufValue ofInt64(long v) {
    return integer(GgufType.INT64, v);
  }

  public static GgufValue ofFloat32(float v) {
    return new GgufValue(GgufType.FLOAT32, null, Float.floatToRawIntBits(v), v, null, 0);
  }

  public static GgufValue ofFloat64(double v) {
    return new GgufValue(GgufType.FLOAT64, null, Double.doubleToRawLongBits(v), v, null, 0);
  }

  public static GgufValue ofBool(boolean v) {
    return integer(GgufType.BOOL, v ? 1 : 0);
  }

  public static GgufValue ofString(String v) {
    return ofStringBytes(Objects.requireNonNull(v, "v").getBytes(StandardCharsets.UTF_8));
  }

  /** A string value with exactly these bytes (normally UTF-8). */
  public static GgufValue ofStringBytes(byte[] utf8) {
    byte[] copy = Objects.requireNonNull(utf8, "utf8").clone();
    return new GgufValue(GgufType.STRING, null, 0, 0, copy, copy.length);
  }

  // ---- array factories

  /**
   * An array of integers of type {@code elementType} (UINT8 .. INT64, or BOOL with 0/1).
   *
   * @throws IllegalArgumentException if a value does not fit the element type
   */
  public static GgufValue ofIntegerArray(GgufType elementType, long... values) {
    Objects.requireNonNull(values, "values");
    return switch (elementType) {
      case UINT8, INT8, BOOL -> {
        byte[] a = new byte[values.length];
        for (int i = 0; i < a.length; i++) {
          checkElement(elementType, values[i]);
          a[i] = (byte) values[i];
        }
        yield array(elementType, a, a.length);
      }
      case UINT16, INT16 -> {
        short[] a = new short[values.length];
        for (int i = 0; i < a.length; i++) {
          checkElement(elementType, values[i]);
          a[i] = (short) values[i];
        }
        yield array(elementType, a, a.length);
      }
      case UINT32, INT32 -> {
        int[] a = new int[values.length];
        for (int i = 0; i < a.length; i++) {
          checkElement(elementType, values[i]);
          a[i] = (int) values[i];
        }
        yield array(elementType, a, a.length);
      }
      case UINT64, INT64 -> array(elementType, values.clone(), values.length);
      default -> throw new IllegalArgumentException(elementType + " is not an integer type");
    };
  }

  public static GgufValue ofInt32Array(int... values) {
    return array(GgufType.INT32, values.clone(), values.length);
  }

  public static GgufValue ofFloat32Array(float... values) {
    return array(GgufType.FLOAT32, values.clone(), values.length);
  }

  public static GgufValue ofFloat64Array(double... values) {
    return array(GgufType.FLOAT64, values.clone(), values.length);
  }

  public static GgufValue ofBoolArray(boolean... values) {
    byte[] a = new byte[values.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) (values[i] ? 1 : 0);
    }
    return array(GgufType.BOOL, a, a.length);
  }

  public static GgufValue ofStringArray(List<String> values) {
    byte[][] a = new byte[values.size()][];
    for (int i = 0; i < a.length; i++) {
      a[i] = Objects.requireNonNull(values.get(i), "values[" + i + "]").getBytes(StandardCharsets.UTF_8);
    }
    return array(GgufType.STRING, a, a.length);
  }

  /**
   * An array whose elements are the given values, all of one type; nested arrays are allowed.
   *
   * @throws IllegalArgumentException if the values are not all of one type
   */
  public static GgufValue ofArray(GgufType elementType, List<GgufValue> values) {
    Objects.requireNonNull(elementType, "elementType");
    for (GgufValue v : values) {
      if (v.type != elementType) {
        throw new IllegalArgumentException("array of " + elementType + " holds a " + v.type);
      }
    }
    if (elementType == GgufType.ARRAY) {
      return array(GgufType.ARRAY, values.toArray(new GgufValue[0]), values.size());
    }
    return switch (elementType) {
      case FLOAT32 -> {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = values.get(i).asFloat();
        }
        yield array(elementType, a, a.length);
      }
      case FLOAT64 -> {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = values.get(i).asDouble();
        }
        yield array(elementType, a, a.length);
      }
      case STRING -> {
        byte[][] a = new byte[values.size()][];
        for (int i = 0; i < a.length; i++) {
          a[i] = (byte[]) values.get(i).payload;
        }
        yield array(elementType, a, a.length);
      }
      default -> {
        long[] a = new long[values.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = values.get(i).bits;
        }
        yield ofIntegerArray(elementType, a);
      }
    };
  }

  // package-private constructors used by the reader, which hands over freshly read arrays

  static GgufValue integer(GgufType type, long bits) {
    return new GgufValue(type, null, bits, 0, null, 0);
  }

  static GgufValue float32Bits(int raw) {
    return new GgufValue(GgufType.FLOAT32, null, raw, Float.intBitsToFloat(raw), null, 0);
  }

  static GgufValue float64Bits(long raw) {
    return new GgufValue(GgufType.FLOAT64, null, raw, Double.longBitsToDouble(raw), null, 0);
  }

  static GgufValue stringOwning(byte[] bytes) {
    return new GgufValue(GgufType.STRING, null, 0, 0, bytes, bytes.length);
  }

  static GgufValue array(GgufType elementType, Object payload, int size) {
    return new GgufValue(GgufType.ARRAY, elementType, 0, 0, payload, size);
  }

  // ---- accessors

  public GgufType type() {
    return type;
  }

  /**
   * The type of the elements of an array.
   *
   * @throws IllegalStateException if this value is not an array
   */
  public GgufType elementType() {
    requireArray();
    return elementType;
  }

  /** The number of elements of an array, or the number of bytes of a string; 0 for scalars. */
  public int size() {
    return size;
  }

  /**
   * The value of an integer or bool scalar (UINT64 as its raw bits).
   *
   * @throws IllegalStateException if this is not an integer or bool scalar
   */
  public long asLong() {
    if (!type.isInteger() && type != GgufType.BOOL) {
      throw new IllegalStateException("a " + type + " value is not an integer");
    }
    return bits;
  }

  /** The value of a float or integer scalar as a double. */
  public double asDouble() {
    if (type == GgufType.FLOAT32 || type == GgufType.FLOAT64) {
      return real;
    }
    if (type.isInteger()) {
      return type == GgufType.UINT64 && bits < 0 ? unsignedToDouble(bits) : bits;
    }
    throw new IllegalStateException("a " + type + " value is not a number");
  }

  /** The value of a float or integer scalar as a float. */
  public float asFloat() {
    return type == GgufType.FLOAT32 ? Float.intBitsToFloat((int) bits) : (float) asDouble();
  }

  /** The value of a bool scalar. */
  public boolean asBoolean() {
    if (type != GgufType.BOOL) {
      throw new IllegalStateException("a " + type + " value is not a bool");
    }
    return bits != 0;
  }

  /** The value of a string scalar decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String asString() {
    if (type != GgufType.STRING) {
      throw new IllegalStateException("a " + type + " value is not a string");
    }
    return new String((byte[]) payload, StandardCharsets.UTF_8);
  }

  /** The exact bytes of a string scalar. */
  public byte[] asStringBytes() {
    if (type != GgufType.STRING) {
      throw new IllegalStateException("a " + type + " value is not a string");
    }
    return ((byte[]) payload).clone();
  }

  /** Element {@code i} of a string array, decoded as UTF-8. */
  public String stringAt(int i) {
    return new String(stringBytesRef(i), StandardCharsets.UTF_8);
  }

  /** The exact bytes of element {@code i} of a string array. */
  public byte[] stringBytesAt(int i) {
    return stringBytesRef(i).clone();
  }

  byte[] stringBytesRef(int i) {
    requireElementType(GgufType.STRING);
    return ((byte[][]) payload)[i];
  }

  /** The elements of a string array decoded as UTF-8. */
  public List<String> asStringList() {
    requireElementType(GgufType.STRING);
    byte[][] a = (byte[][]) payload;
    List<String> out = new ArrayList<>(a.length);
    for (byte[] s : a) {
      out.add(new String(s, StandardCharsets.UTF_8));
    }
    return Collections.unmodifiableList(out);
  }

  /** The elements of a FLOAT32 array. */
  public float[] asFloatArray() {
    requireElementType(GgufType.FLOAT32);
    return ((float[]) payload).clone();
  }

  /** The elements of a FLOAT32 or FLOAT64 array as doubles. */
  public double[] asDoubleArray() {
    requireArray();
    if (elementType == GgufType.FLOAT64) {
      return ((double[]) payload).clone();
    }
    if (elementType == GgufType.FLOAT32) {
      float[] f = (float[]) payload;
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    throw new IllegalStateException("an array of " + elementType + " is not an array of floats");
  }

  /**
   * The elements of an integer or bool array, widened to long (signed types sign-extended,
   * unsigned types zero-extended, UINT64 as raw bits).
   */
  public long[] asLongArray() {
    requireArray();
    long[] out = new long[size];
    return switch (elementType) {
      case UINT8, BOOL -> {
        byte[] a = (byte[]) payload;
        for (int i = 0; i < size; i++) out[i] = a[i] & 0xFF;
        yield out;
      }
      case INT8 -> {
        byte[] a = (byte[]) payload;
        for (int i = 0; i < size; i++) out[i] = a[i];
        yield out;
      }
      case UINT16 -> {
        short[] a = (short[]) payload;
        for (int i = 0; i < size; i++) out[i] = a[i] & 0xFFFF;
        yield out;
      }
      case INT16 -> {
        short[] a = (short[]) payload;
        for (int i = 0; i < size; i++) out[i] = a[i];
        yield out;
      }
      case UINT32 -> {
        int[] a = (int[]) payload;
        for (int i = 0; i < size; i++) out[i] = a[i] & 0xFFFF_FFFFL;
        yield out;
      }
      case INT32 -> {
        int[] a = (int[]) payload;
        for (int i = 0; i < size; i++) out[i] = a[i];
        yield out;
      }
      case UINT64, INT64 -> ((long[]) payload).clone();
      default -> throw new IllegalStateException("an array of " + elementType + " is not an array of integers");
    };
  }

  /** The elements of any array as values (nested arrays stay arrays). */
  public List<GgufValue> asList() {
    requireArray();
    List<GgufValue> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(elementAt(i));
    }
    return Collections.unmodifiableList(out);
  }

  private GgufValue elementAt(int i) {
    return switch (elementType) {
      case ARRAY -> ((GgufValue[]) payload)[i];
      case STRING -> stringOwning(((byte[][]) payload)[i]);
      case FLOAT32 -> ofFloat32(((float[]) payload)[i]);
      case FLOAT64 -> ofFloat64(((double[]) payload)[i]);
      case UINT8, BOOL -> integer(elementType, ((byte[]) payload)[i] & 0xFF);
      case INT8 -> integer(elementType, ((byte[]) payload)[i]);
      case UINT16 -> integer(elementType, ((short[]) payload)[i] & 0xFFFF);
      case INT16 -> integer(elementType, ((short[]) payload)[i]);
      case UINT32 -> integer(elementType, ((int[]) payload)[i] & 0xFFFF_FFFFL);
      case INT32 -> integer(elementType, ((int[]) payload)[i]);
      default -> integer(elementType, ((long[]) payload)[i]);
    };
  }

  /** The raw payload, shared (not copied), for the writer and the tokenizer loader. */
  Object payload() {
    return payload;
  }

  long bits() {
    return bits;
  }

  private void requireArray() {
    if (type != GgufType.ARRAY) {
      throw new IllegalStateException("a " + type + " value is not an array");
    }
  }

  private void requireElementType(GgufType t) {
    requireArray();
    if (elementType != t) {
      throw new IllegalStateException("an array of " + elementType + " is not an array of " + t);
    }
  }

  private static double unsignedToDouble(long v) {
    return (double) (v >>> 1) * 2.0 + (v & 1);
  }

  private static void checkRange(long v, long min, long max, String what) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(v + " does not fit in " + what);
    }
  }

  private static void checkElement(GgufType t, long v) {
    switch (t) {
      case UINT8 -> checkRange(v, 0, 0xFF, "uint8");
      case INT8 -> checkRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "int8");
      case BOOL -> checkRange(v, 0, 1, "bool");
      case UINT16 -> checkRange(v, 0, 0xFFFF, "uint16");
      case INT16 -> checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, "int16");
      case UINT32 -> checkRange(v, 0, 0xFFFF_FFFFL, "uint32");
      case INT32 -> checkRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int32");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof GgufValue v)) {
      return false;
    }
    if (type != v.type || elementType != v.elementType || size != v.size) {
      return false;
    }
    if (type == GgufType.STRING) {
      return Arrays.equals((byte[]) payload, (byte[]) v.payload);
    }
    if (type != GgufType.ARRAY) {
      return bits == v.bits;
    }
    return Arrays.deepEquals(new Object[] {payload}, new Object[] {v.payload});
  }

  @Override
  public int hashCode() {
    if (type == GgufType.STRING) {
      return Arrays.hashCode((byte[]) payload);
    }
    if (type != GgufType.ARRAY) {
      return type.hashCode() * 31 + Long.hashCode(bits);
    }
    return Arrays.deepHashCode(new Object[] {payload}) * 31 + elementType.hashCode();
  }

  @Override
  public String toString() {
    return switch (type) {
      case STRING -> {
        String s = asString();
        yield s.length() > 80 ? '"' + s.substring(0, 77) + "...\"" : '"' + s + '"';
      }
      case ARRAY -> "[" + size + " x " + elementType + "]";
      case FLOAT32, FLOAT64 -> Double.toString(real);
      case BOOL -> Boolean.toString(bits != 0);
      case UINT64 -> Long.toUnsignedString(bits);
      default -> Long.toString(bits);
    };
  }
}

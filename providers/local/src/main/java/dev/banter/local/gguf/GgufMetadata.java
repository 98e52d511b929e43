package dev.banter.local.gguf;

import dev.banter.api.ModelLoadException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order, with typed accessors for the keys the
 * engine uses. Immutable and thread-safe. A present key of the wrong type (or a number out of
 * range) fails with a {@link ModelLoadException} naming the key, the file and the value's offset;
 * an absent key gives an empty optional.
 *
 * <pre>{@code
 * GgufMetadata md = file.metadata();
 * String arch = md.architecture().orElse("llama");
 * int layers = md.blockCount().orElseThrow();
 * float[] scores = md.tokenizerScores().orElse(new float[0]);
 * }</pre>
 */
public final class GgufMetadata {
  /** The default data alignment when {@code general.alignment} is absent. */
  public static final int DEFAULT_ALIGNMENT = 32;

  private final String file;
  private final Map<String, GgufValue> values;
  private final Map<String, Long> offsets;

  GgufMetadata(String file, Map<String, GgufValue> values, Map<String, Long> offsets) {
    this.file = file;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.offsets = offsets;
  }

  /** Metadata built in memory (for example to hand a tokenizer a vocabulary); errors name {@code source}. */
  public static GgufMetadata of(String source, Map<String, GgufValue> values) {
    Objects.requireNonNull(source, "source");
    Map<String, Long> none = new LinkedHashMap<>();
    for (String k : values.keySet()) {
      none.put(Objects.requireNonNull(k, "key"), -1L);
    }
    return new GgufMetadata(source, values, none);
  }

  /** The file the metadata came from (or the source name given to {@link #of}). */
  public String source() {
    return file;
  }

  /** All keys in file order. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** All values by key, in file order. */
  public Map<String, GgufValue> asMap() {
    return values;
  }

  public Optional<GgufValue> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public boolean contains(String key) {
    return values.containsKey(key);
  }

  /** The byte offset of {@code key}'s value in the file, or -1 when unknown. */
  public long offsetOf(String key) {
    Long o = offsets.get(key);
    return o == null ? -1 : o;
  }

  /** A failure about {@code key}, naming the file and the value's offset. */
  public ModelLoadException invalid(String key, String what) {
    long at = offsetOf(key);
    return new ModelLoadException(file + (at >= 0 ? " @" + at : "") + ": metadata key '" + key + "' "
        + what, file, at);
  }

  // ---- generic typed access

  public Optional<String> getString(String key) {
    GgufValue v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v.type() != GgufType.STRING) {
      throw invalid(key, "is a " + v.type() + ", expected a STRING");
    }
    return Optional.of(v.asString());
  }

  /** An integer value of any integer type; a UINT64 above 2^63 - 1 is refused. */
  public OptionalLong getLong(String key) {
    GgufValue v = values.get(key);
    if (v == null) {
      return OptionalLong.empty();
    }
    if (!v.type().isInteger()) {
      throw invalid(key, "is a " + v.type() + ", expected an integer");
    }
    if (v.type() == GgufType.UINT64 && v.asLong() < 0) {
      throw invalid(key, "= " + v + " is out of range");
    }
    return OptionalLong.of(v.asLong());
  }

  /** An integer value that must lie in {@code [0, Integer.MAX_VALUE]}. */
  public OptionalInt getCount(String key) {
    OptionalLong v = getLong(key);
    if (!v.isPresent()) {
      return OptionalInt.empty();
    }
    if (v.getAsLong() < 0 || v.getAsLong() > Integer.MAX_VALUE) {
      throw invalid(key, "= " + v.getAsLong() + " is out of range [0, " + Integer.MAX_VALUE + "]");
    }
    return OptionalInt.of((int) v.getAsLong());
  }

  /** A float or integer value as a double. */
  public OptionalDouble getDouble(String key) {
    GgufValue v = values.get(key);
    if (v == null) {
      return OptionalDouble.empty();
    }
    if (v.type() != GgufType.FLOAT32 && v.type() != GgufType.FLOAT64 && !v.type().isInteger()) {
      throw invalid(key, "is a " + v.type() + ", expected a number");
    }
    return OptionalDouble.of(v.asDouble());
  }

  public Optional<Boolean> getBoolean(String key) {
    GgufValue v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v.type() != GgufType.BOOL) {
      throw invalid(key, "is a " + v.type() + ", expected a BOOL");
    }
    return Optional.of(v.asBoolean());
  }

  /** An array value whose elements have type {@code elementType}. */
  public Optional<GgufValue> getArray(String key, GgufType elementType) {
    GgufValue v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v.type() != GgufType.ARRAY || v.elementType() != elementType) {
      String got = v.type() == GgufType.ARRAY ? "an array of " + v.elementType() : "a " + v.type();
      throw invalid(key, "is " + got + ", expected an array of " + elementType);
    }
    return Optional.of(v);
  }

  // ---- general.*

  /** {@code general.architecture}, e.g. {@code llama}, {@code qwen2}, {@code grok}. */
  public Optional<String> architecture() {
    return getString("general.architecture");
  }

  /** {@code general.name}. */
  public Optional<String> name() {
    return getString("general.name");
  }

  /** {@code general.alignment}, or {@value #DEFAULT_ALIGNMENT}; always a power of two. */
  public int alignment() {
    OptionalLong a = getLong("general.alignment");
    if (!a.isPresent()) {
      return DEFAULT_ALIGNMENT;
    }
    long v = a.getAsLong();
    if (v <= 0 || v > (1 << 30) || (v & (v - 1)) != 0) {
      throw invalid("general.alignment", "= " + v + " is not a power of two in [1, 2^30]");
    }
    return (int) v;
  }

  // ---- {arch}.*

  /** The integer {@code {arch}.suffix}, e.g. {@code archCount("block_count")}. */
  public OptionalInt archCount(String suffix) {
    Optional<String> arch = architecture();
    return arch.isPresent() ? getCount(arch.get() + "." + suffix) : OptionalInt.empty();
  }

  /** The number {@code {arch}.suffix}. */
  public OptionalDouble archDouble(String suffix) {
    Optional<String> arch = architecture();
    return arch.isPresent() ? getDouble(arch.get() + "." + suffix) : OptionalDouble.empty();
  }

  public OptionalInt contextLength() {
    return archCount("context_length");
  }

  public OptionalInt embeddingLength() {
    return archCount("embedding_length");
  }

  public OptionalInt blockCount() {
    return archCount("block_count");
  }

  public OptionalInt feedForwardLength() {
    return archCount("feed_forward_length");
  }

  public OptionalInt headCount() {
    return archCount("attention.head_count");
  }

  public OptionalInt headCountKv() {
    return archCount("attention.head_count_kv");
  }

  public OptionalInt keyLength() {
    return archCount("attention.key_length");
  }

  public OptionalInt valueLength() {
    return archCount("attention.value_length");
  }

  public OptionalDouble layerNormRmsEpsilon() {
    return archDouble("attention.layer_norm_rms_epsilon");
  }

  public OptionalDouble layerNormEpsilon() {
    return archDouble("attention.layer_norm_epsilon");
  }

  public OptionalInt ropeDimensionCount() {
    return archCount("rope.dimension_count");
  }

  public OptionalDouble ropeFreqBase() {
    return archDouble("rope.freq_base");
  }

  public Optional<String> ropeScalingType() {
    Optional<String> arch = architecture();
    return arch.isPresent() ? getString(arch.get() + ".rope.scaling.type") : Optional.empty();
  }

  public OptionalDouble ropeScalingFactor() {
    return archDouble("rope.scaling.factor");
  }

  public OptionalInt ropeScalingOriginalContextLength() {
    return archCount("rope.scaling.original_context_length");
  }

  public OptionalInt expertCount() {
    return archCount("expert_count");
  }

  public OptionalInt expertUsedCount() {
    return archCount("expert_used_count");
  }

  public OptionalInt vocabSize() {
    return archCount("vocab_size");
  }

  // ---- tokenizer.*

  /** {@code tokenizer.ggml.model}: {@code llama} (SentencePiece), {@code gpt2} (byte-level BPE), ... */
  public Optional<String> tokenizerModel() {
    return getString("tokenizer.ggml.model");
  }

  /** {@code tokenizer.ggml.pre}: the BPE pre-tokenizer, e.g. {@code llama-bpe}, {@code qwen2}. */
  public Optional<String> tokenizerPre() {
    return getString("tokenizer.ggml.pre");
  }

  /** {@code tokenizer.ggml.tokens}, an array of STRING (exact bytes via {@link GgufValue#stringBytesAt}). */
  public Optional<GgufValue> tokenizerTokens() {
    return getArray("tokenizer.ggml.tokens", GgufType.STRING);
  }

  /** {@code tokenizer.ggml.scores}. */
  public Optional<float[]> tokenizerScores() {
    return getArray("tokenizer.ggml.scores", GgufType.FLOAT32).map(GgufValue::asFloatArray);
  }

  /** {@code tokenizer.ggml.token_type} (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte). */
  public Optional<int[]> tokenizerTokenTypes() {
    return getArray("tokenizer.ggml.token_type", GgufType.INT32).map(v -> {
      long[] l = v.asLongArray();
      int[] out = new int[l.length];
      for (int i = 0; i < l.length; i++) {
        out[i] = (int) l[i];
      }
      return out;
    });
  }

  /** {@code tokenizer.ggml.merges}, an array of STRING "left right". */
  public Optional<GgufValue> tokenizerMerges() {
    return getArray("tokenizer.ggml.merges", GgufType.STRING);
  }

  public OptionalInt bosTokenId() {
    return getCount("tokenizer.ggml.bos_token_id");
  }

  public OptionalInt eosTokenId() {
    return getCount("tokenizer.ggml.eos_token_id");
  }

  public OptionalInt unknownTokenId() {
    return getCount("tokenizer.ggml.unknown_token_id");
  }

  public OptionalInt paddingTokenId() {
    return getCount("tokenizer.ggml.padding_token_id");
  }

  public Optional<Boolean> addBosToken() {
    return getBoolean("tokenizer.ggml.add_bos_token");
  }

  public Optional<Boolean> addEosToken() {
    return getBoolean("tokenizer.ggml.add_eos_token");
  }

  public Optional<Boolean> addSpacePrefix() {
    return getBoolean("tokenizer.ggml.add_space_prefix");
  }

  /** {@code tokenizer.chat_template} (Jinja). */
  public Optional<String> chatTemplate() {
    return getString("tokenizer.chat_template");
  }

  @Override
  public String toString() {
    return "GgufMetadata[" + file + ", " + values.size() + " keys]";
  }
}

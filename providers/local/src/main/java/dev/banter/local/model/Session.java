package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import java.io.EOFException;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * One sequence being evaluated by a {@link Model}: its KV cache, the tokens the cache holds, and
 * the working memory of its forward passes, all allocated once when the session is created.
 * Tokens are appended in batches of up to {@link #batchSize()} (prefill as matrix-matrix
 * products), one at a time for decoding; a session can be cut back to a prefix of its tokens and
 * continued, which is how a chat's next turn reuses the prompt it shares with the previous one.
 * Not thread-safe: one thread at a time (the model behind it is shared safely).
 *
 * <pre>{@code
 * Session s = model.newSession(2048, 32);
 * float[] logits = s.append(promptTokens, 0, promptTokens.length);
 * int next = sampler.sample(logits);
 * logits = s.append(new int[] {next}, 0, 1);
 * s.truncate(s.commonPrefix(nextPrompt));        // keep what the next prompt shares
 * }</pre>
 */
public final class Session {
  private final Model model;
  private final Transformer transformer;
  private final RowPool pool;
  private final KvCache kv;
  private final Activations acts;
  private final int[] tokens;
  private int length;
  private long evaluated;
  private float[] batchLogits;

  Session(Model model, Transformer transformer, RowPool pool, int capacity, int batch) {
    this.model = model;
    this.transformer = transformer;
    this.pool = pool;
    this.kv = new KvCache(transformer.hp.layers, capacity, transformer.hp.kvDim());
    this.acts = new Activations(transformer.hp, transformer.vocab, batch, capacity, pool.threads());
    this.tokens = new int[capacity];
  }

  /** The model this session runs. */
  public Model model() {
    return model;
  }

  /** The most tokens the session holds (its context length). */
  public int capacity() {
    return tokens.length;
  }

  /** The most tokens one forward pass takes. */
  public int batchSize() {
    return acts.batch;
  }

  /** The number of tokens in the cache. */
  public int length() {
    return length;
  }

  /** Room left in the cache. */
  public int remaining() {
    return tokens.length - length;
  }

  /** The tokens in the cache, oldest first (a copy). */
  public int[] tokens() {
    return Arrays.copyOf(tokens, length);
  }

  /** The token at {@code index} in the cache. */
  public int token(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("token " + index + " of a session holding " + length);
    }
    return tokens[index];
  }

  /** How many leading tokens of {@code prompt} the cache already holds. */
  public int commonPrefix(int[] prompt) {
    int n = Math.min(length, prompt.length);
    int i = 0;
    while (i < n && tokens[i] == prompt[i]) {
      i++;
    }
    return i;
  }

  /**
   * Forgets every token after the first {@code newLength}; the cache keeps the keys and values of
   * those that remain.
   *
   * @throws IllegalArgumentException if {@code newLength} is negative or above {@link #length()}
   */
  public void truncate(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IllegalArgumentException("cannot truncate a session of " + length + " tokens to " + newLength);
    }
    length = newLength;
  }

  /** The number of tokens run through the model by this session since it was created. */
  public long evaluatedTokens() {
    return evaluated;
  }

  /**
   * Appends {@code tokens[from .. to)} to the sequence, running them through the model in batches
   * of up to {@link #batchSize()}, and returns the logits after the last one. The returned array
   * belongs to the session and is overwritten by the next call.
   *
   * @throws IllegalArgumentException if the range is empty or a token is outside the vocabulary
   * @throws IllegalStateException if the tokens do not fit in the remaining context
   */
  public float[] append(int[] tokens, int from, int to) {
    check(tokens, from, to);
    while (from < to) {
      int n = passSize(to - from);
      pass(tokens, from, n);
      from += n;
      if (from == to) {
        transformer.logits(acts, pool, n - 1);
      }
    }
    return acts.logits;
  }

  /**
   * Appends one token to each of several sessions of the same model in a single forward pass (the
   * decode step of concurrent generations), writing session {@code i}'s logits into {@code
   * logits[i]}. Each weight is read from memory once for all the sessions; each session's logits
   * are bit for bit what {@code sessions[i].append(new int[] {tokens[i]}, 0, 1)} would return, and
   * its cache ends up the same. The sessions' own logits arrays ({@link #append}'s result) are
   * left alone. Decode steps of one model take turns; each session must be used by the calling
   * thread alone meanwhile.
   *
   * <pre>{@code
   * float[][] logits = new float[2][model.vocabSize()];
   * Session.decode(new Session[] {a, b}, new int[] {nextA, nextB}, logits);
   * }</pre>
   *
   * @throws IllegalArgumentException if the arrays are empty or of different lengths, a session
   *     appears twice or belongs to another model, a token is outside the vocabulary, or a logits
   *     array is shorter than the vocabulary; nothing has been evaluated then
   * @throws IllegalStateException if a session is full; nothing has been evaluated then
   */
  public static void decode(Session[] sessions, int[] tokens, float[][] logits) {
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(logits, "logits");
    int n = sessions.length;
    if (n == 0 || tokens.length != n || logits.length != n) {
      throw new IllegalArgumentException("a decode step needs one token and one logits array per session, got "
          + n + " sessions, " + tokens.length + " tokens and " + logits.length + " logits arrays");
    }
    KvCache[] caches = new KvCache[n];
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      Session s = passMember(sessions, i);
      s.check(tokens, i, i + 1);
      if (Objects.requireNonNull(logits[i], "logits[" + i + "]").length < s.transformer.vocab) {
        throw new IllegalArgumentException("logits[" + i + "] of " + logits[i].length
            + " floats cannot hold the vocabulary of " + s.transformer.vocab);
      }
      caches[i] = s.kv;
      positions[i] = s.length;
    }
    sessions[0].model.decodePass().decode(caches, positions, tokens, n, logits);
    for (int i = 0; i < n; i++) {
      Session s = sessions[i];
      s.tokens[s.length] = tokens[i];
      s.length++;
      s.evaluated++;
    }
  }

  /**
   * The most tokens {@link #appendRuns} takes in one pass: {@value}, or one session's batch where
   * that is larger. The pass's working memory is the model's, grown to the largest pass so far.
   */
  public static final int SHARED_PASS_TOKENS = 256;

  /**
   * Appends a run of prompt tokens to each of several sessions of the same model in one forward
   * pass: {@code tokens[i][from[i] .. to[i])} to {@code sessions[i]}, each run of at least two
   * tokens and at most its session's {@link #batchSize()}, all of them together at most {@link
   * #SHARED_PASS_TOKENS} or the largest of those batches. Each weight is read once for all the
   * runs (concurrent prompts share the matrix products as decode steps do, see {@link #decode});
   * each session's cache ends up bit for bit as its own {@code append} of the run leaves it, a row
   * of a batched product not depending on the batch. Where {@code logits[i]} is not null it
   * receives the logits after the run's last token, as {@link #append} returns them; the
   * sessions' own logits arrays are left alone. Prompt passes of one model take turns, and
   * interleave with decode steps product by product; each session must be used by the calling
   * thread alone meanwhile.
   *
   * <pre>{@code
   * Session.appendRuns(new Session[] {a, b}, new int[][] {promptA, promptB},
   *     new int[] {0, 0}, new int[] {promptA.length, promptB.length}, new float[][] {logitsA, logitsB});
   * }</pre>
   *
   * @throws IllegalArgumentException if the arrays are empty or of different lengths, a session
   *     appears twice or belongs to another model, a run is shorter than two tokens, longer than its
   *     session's batch or holds a token outside the vocabulary, the runs together exceed a pass, or
   *     a logits array is shorter than the vocabulary; nothing has been evaluated then
   * @throws IllegalStateException if a run does not fit in its session; nothing has been evaluated then
   */
  public static void appendRuns(Session[] sessions, int[][] tokens, int[] from, int[] to, float[][] logits) {
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(logits, "logits");
    int k = sessions.length;
    if (k == 0 || tokens.length != k || from.length != k || to.length != k || logits.length != k) {
      throw new IllegalArgumentException("runs need a token array, a range and a logits slot per session, got " + k
          + " sessions, " + tokens.length + " token arrays, " + from.length + " and " + to.length + " bounds, "
          + logits.length + " logits slots");
    }
    int n = 0;
    int limit = SHARED_PASS_TOKENS;
    for (int i = 0; i < k; i++) {
      Session s = passMember(sessions, i);
      s.check(Objects.requireNonNull(tokens[i], "tokens[" + i + "]"), from[i], to[i]);
      int run = to[i] - from[i];
      if (run < 2 || run > s.acts.batch) {
        throw new IllegalArgumentException("run " + i + " has " + run + " tokens; a shared pass takes runs of 2 to "
            + s.acts.batch + " (the session's batch), a single token goes alone through append");
      }
      if (logits[i] != null && logits[i].length < s.transformer.vocab) {
        throw new IllegalArgumentException("logits[" + i + "] of " + logits[i].length
            + " floats cannot hold the vocabulary of " + s.transformer.vocab);
      }
      n += run;
      limit = Math.max(limit, s.acts.batch);
    }
    if (n > limit) {
      throw new IllegalArgumentException("the runs hold " + n + " tokens, more than a shared pass of " + limit);
    }
    KvCache[] caches = new KvCache[n];
    int[] positions = new int[n];
    int[] ids = new int[n];
    int[] rows = new int[k];
    for (int i = 0, t = 0; i < k; i++) {
      Session s = sessions[i];
      for (int j = from[i]; j < to[i]; j++, t++) {
        caches[t] = s.kv;
        positions[t] = s.length + j - from[i];
        ids[t] = tokens[i][j];
      }
      rows[i] = t - 1;
    }
    sessions[0].model.promptPass().prompts(caches, positions, ids, n, rows, logits);
    for (int i = 0; i < k; i++) {
      Session s = sessions[i];
      int run = to[i] - from[i];
      System.arraycopy(tokens[i], from[i], s.tokens, s.length, run);
      s.length += run;
      s.evaluated += run;
    }
  }

  /**
   * {@code sessions[i]} of a shared pass ({@link #decode}, {@link #appendRuns}), checked: not null,
   * of session 0's model, not given earlier in the array.
   */
  private static Session passMember(Session[] sessions, int i) {
    Session s = Objects.requireNonNull(sessions[i], "sessions[" + i + "]");
    Model model = Objects.requireNonNull(sessions[0], "sessions[0]").model;
    if (s.model != model) {
      throw new IllegalArgumentException("session " + i + " belongs to " + s.model + ", session 0 to " + model
          + "; a shared pass runs sessions of one model");
    }
    for (int j = 0; j < i; j++) {
      if (sessions[j] == s) {
        throw new IllegalArgumentException("session " + j + " appears again at " + i
            + "; a shared pass takes one token or run per session");
      }
    }
    return s;
  }

  /** The most tokens one {@link #appendRuns} pass with this session first may hold. */
  public int sharedPassTokens() {
    return Math.max(SHARED_PASS_TOKENS, acts.batch);
  }

  /**
   * Appends {@code tokens[from .. to)} like {@link #append}, writing the logits after every one of
   * them, row after row, into {@code logits} from {@code offset} ({@code (to - from) × vocab}
   * floats).
   *
   * @throws IllegalArgumentException if the range is empty, a token is outside the vocabulary,
   *     or {@code logits} is too short
   * @throws IllegalStateException if the tokens do not fit in the remaining context
   */
  public void appendAll(int[] tokens, int from, int to, float[] logits, int offset) {
    check(tokens, from, to);
    int vocab = transformer.vocab;
    if (offset < 0 || logits.length - (long) offset < (long) (to - from) * vocab) {
      throw new IllegalArgumentException("logits of " + logits.length + " floats from " + offset
          + " cannot hold " + (to - from) + " rows of " + vocab);
    }
    if (batchLogits == null) {
      batchLogits = new float[acts.batch * vocab];
    }
    while (from < to) {
      int n = passSize(to - from);
      pass(tokens, from, n);
      transformer.allLogits(acts, pool, n, batchLogits);
      System.arraycopy(batchLogits, 0, logits, offset, n * vocab);
      offset += n * vocab;
      from += n;
    }
  }

  /**
   * The bytes {@link #writeCache} writes for {@code n} tokens: their ids, then each layer's keys
   * and values as little-endian floats.
   */
  public long cacheBytes(int n) {
    return 4L * n + 2L * transformer.hp.layers * n * kv.kvDim * Float.BYTES;
  }

  /**
   * Writes the first {@code n} tokens and their keys and values to {@code out} ({@link
   * #cacheBytes} bytes), so that another session of the same model and context length, in this
   * process or a later one, can take them back with {@link #readCache} instead of evaluating them.
   *
   * @throws IllegalArgumentException if the session holds fewer than {@code n} tokens
   * @throws IOException if writing fails
   */
  public void writeCache(WritableByteChannel out, int n) throws IOException {
    if (n < 0 || n > length) {
      throw new IllegalArgumentException("cannot write " + n + " tokens of a session holding " + length);
    }
    ByteBuffer buf = ByteBuffer.allocate(Math.max(4 * n, 64 * 1024)).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(tokens, 0, n);
    ((Buffer) buf).limit(4 * n);
    drain(out, buf);
    for (int l = 0; l < transformer.hp.layers; l++) {
      float[] a = kv.array(l);
      for (int i = 0; i < kv.kvDim; i++) {
        writeFloats(out, buf, a, kv.keyOffset(l) + i * kv.capacity, n);
      }
      writeFloats(out, buf, a, kv.valueOffset(l), n * kv.kvDim);
    }
  }

  /**
   * Replaces this session's contents with the first {@code n} of the {@code stored} tokens that
   * {@link #writeCache} wrote to {@code in} (whose ids the caller has read and passes as
   * {@code ids}); the channel is positioned after the ids. Keys and values of a position do not
   * depend on later ones, so any prefix of a stored cache is a valid cache.
   *
   * @throws IllegalArgumentException if {@code n} exceeds {@code stored} or the capacity, or an id is
   *     outside the vocabulary
   * @throws IOException if reading fails or the data ends early; the session is then empty
   */
  public void readCache(ReadableByteChannel in, int[] ids, int n, int stored) throws IOException {
    if (n < 0 || n > stored || n > tokens.length || ids.length < n) {
      throw new IllegalArgumentException("cannot read " + n + " of " + stored + " cached tokens into a session of "
          + tokens.length);
    }
    for (int i = 0; i < n; i++) {
      if (ids[i] < 0 || ids[i] >= transformer.vocab) {
        throw new IllegalArgumentException("cached token id " + ids[i] + " is outside the vocabulary");
      }
    }
    length = 0;
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    for (int l = 0; l < transformer.hp.layers; l++) {
      float[] a = kv.array(l);
      for (int i = 0; i < kv.kvDim; i++) {
        readFloats(in, buf, a, kv.keyOffset(l) + i * kv.capacity, n, stored - n);
      }
      readFloats(in, buf, a, kv.valueOffset(l), n * kv.kvDim, (stored - n) * kv.kvDim);
    }
    System.arraycopy(ids, 0, tokens, 0, n);
    length = n;
  }

  /**
   * Replaces this session's contents with the first {@code n} tokens of {@code other} and their
   * keys and values, copied: a new conversation that opens as another one did (a persona's system
   * prompt) starts from that prefix instead of evaluating it. Keys and values of a position do not
   * depend on later ones, so any prefix of a cache is a valid cache.
   *
   * @throws IllegalArgumentException if {@code other} runs another model or has another capacity, or
   *     holds fewer than {@code n} tokens
   */
  public void copyPrefix(Session other, int n) {
    if (other == this) {
      throw new IllegalArgumentException("a session cannot copy from itself");
    }
    if (other.model != model || other.kv.capacity != kv.capacity || other.kv.kvDim != kv.kvDim) {
      throw new IllegalArgumentException("sessions of different models or context lengths share no cache");
    }
    if (n < 0 || n > other.length) {
      throw new IllegalArgumentException("cannot copy " + n + " tokens of a session holding " + other.length);
    }
    for (int l = 0; l < transformer.hp.layers; l++) {
      float[] from = other.kv.array(l);
      float[] to = kv.array(l);
      for (int i = 0; i < kv.kvDim; i++) {
        System.arraycopy(from, other.kv.keyOffset(l) + i * kv.capacity, to, kv.keyOffset(l) + i * kv.capacity, n);
      }
      System.arraycopy(from, other.kv.valueOffset(l), to, kv.valueOffset(l), n * kv.kvDim);
    }
    System.arraycopy(other.tokens, 0, tokens, 0, n);
    length = n;
  }

  private static void writeFloats(WritableByteChannel out, ByteBuffer buf, float[] a, int from, int count)
      throws IOException {
    while (count > 0) {
      int k = Math.min(count, buf.capacity() / Float.BYTES);
      ((Buffer) buf).clear();
      buf.asFloatBuffer().put(a, from, k);
      ((Buffer) buf).limit(k * Float.BYTES);
      drain(out, buf);
      from += k;
      count -= k;
    }
  }

  private static void drain(WritableByteChannel out, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }

  private static void readFloats(ReadableByteChannel in, ByteBuffer buf, float[] a, int from, int count, int skip)
      throws IOException {
    while (count > 0) {
      int k = Math.min(count, buf.capacity() / Float.BYTES);
      fill(in, buf, k * Float.BYTES);
      buf.asFloatBuffer().get(a, from, k);
      from += k;
      count -= k;
    }
    while (skip > 0) {
      int k = Math.min(skip, buf.capacity() / Float.BYTES);
      fill(in, buf, k * Float.BYTES);
      skip -= k;
    }
  }

  private static void fill(ReadableByteChannel in, ByteBuffer buf, int bytes) throws IOException {
    ((Buffer) buf).clear();
    ((Buffer) buf).limit(bytes);
    while (buf.hasRemaining()) {
      if (in.read(buf) < 0) {
        throw new EOFException("the cached keys and values end early");
      }
    }
    ((Buffer) buf).flip();
  }

  /**
   * How many of {@code left} tokens the next forward pass of an append takes: a full batch,
   * except that a multi-token append never ends with a pass of one token. A token's row of a
   * batched product does not depend on how many tokens share the batch, but a single token goes
   * through the matrix-vector kernels, which round differently; keeping prompt tokens on the
   * batched path makes a prompt's cache the same however it was split (fresh, or after a reused
   * prefix). Callers that append a long prompt in pieces (to check for a cancel in between) cut
   * it with this.
   */
  public int passSize(int left) {
    int n = Math.min(acts.batch, left);
    if (left - n == 1 && n > 2) {
      n--;
    }
    return n;
  }

  private void pass(int[] in, int from, int n) {
    transformer.forward(acts, kv, pool, in, from, n, length);
    System.arraycopy(in, from, tokens, length, n);
    length += n;
    evaluated += n;
  }

  private void check(int[] in, int from, int to) {
    if (from < 0 || to > in.length || from >= to) {
      throw new IllegalArgumentException("token range [" + from + ", " + to + ") of " + in.length
          + " tokens is empty or out of bounds");
    }
    if (to - from > tokens.length - length) {
      throw new IllegalStateException((to - from) + " more tokens do not fit: the session holds " + length
          + " of " + tokens.length);
    }
    int vocab = transformer.vocab;
    for (int i = from; i < to; i++) {
      if (in[i] < 0 || in[i] >= vocab) {
        throw new IllegalArgumentException("token id " + in[i] + " is outside the vocabulary [0, " + vocab + ")");
      }
    }
  }

  @Override
  public String toString() {
    return "Session[" + length + "/" + tokens.length + " tokens, batch " + acts.batch + "]";
  }
}

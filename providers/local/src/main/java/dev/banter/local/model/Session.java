package dev.banter.local.model;

import dev.banter.local.tensor.RowPool;
import java.util.Arrays;

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

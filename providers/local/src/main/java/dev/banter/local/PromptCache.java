package dev.banter.local;

import dev.banter.api.ConfigurationException;
import dev.banter.local.model.Model;
import dev.banter.local.model.Session;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Prompt prefixes whose keys and values were saved to files, so that a long system prompt (a
 * persona's) is evaluated once per model and context length, not once per process: a later
 * process restores the longest saved prefix a prompt starts with instead of evaluating it. Like
 * llama.cpp's {@code --slot-save-path}, but found by the prompt itself.
 *
 * <p>A file holds a header (magic, version, the model's fingerprint, the token count), the token
 * ids, then what {@link Session#writeCache} writes. The fingerprint covers the model file's size
 * and three samples of its bytes, and the context length (Phi-3's rotary factors depend on it), so
 * a file made for another model or setting is never used. A file that is unreadable, truncated or
 * inconsistent is skipped with a warning: the prompt is then evaluated as if nothing was saved.
 * The directory is kept under a byte budget by deleting the least recently written files. Saves
 * are written to a temporary file and moved into place. Thread-safe.
 */
final class PromptCache {
  private static final Logger LOG = Logger.getLogger(PromptCache.class.getName());
  private static final byte[] MAGIC = "BANTERKV".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int HEADER_BYTES = MAGIC.length + 4 + 32 + 4;
  private static final String SUFFIX = ".kv";
  private static final int SAMPLE_BYTES = 1 << 20;
  /** Shorter prefixes are cheaper to evaluate than to save and find. */
  static final int MIN_TOKENS = 16;

  /** A saved prefix. */
  private record Entry(Path file, int[] tokens) {}

  private final Path dir;
  private final byte[] fingerprint;
  private final int context;
  private final long maxBytes;
  private final List<Entry> entries = new ArrayList<>();

  private PromptCache(Path dir, byte[] fingerprint, int context, long maxBytes) {
    this.dir = dir;
    this.fingerprint = fingerprint;
    this.context = context;
    this.maxBytes = maxBytes;
  }

  /**
   * The cache in {@code dir} (created if missing) for {@code model} at {@code context} tokens,
   * with the prefixes earlier processes saved there.
   *
   * @throws ConfigurationException if the directory cannot be created or read
   */
  static PromptCache open(Path dir, Model model, int context, long maxBytes) {
    byte[] fingerprint;
    try {
      Files.createDirectories(dir);
      fingerprint = fingerprint(model.path(), context);
    } catch (IOException e) {
      throw new ConfigurationException("Backend 'local': the prompt cache directory " + dir + " cannot be used: " + e
          + ". Point 'prompt-cache' at a writable directory, or leave it unset.", "backend local", "prompt-cache", e);
    }
    PromptCache cache = new PromptCache(dir, fingerprint, context, maxBytes);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        int[] tokens = cache.readTokens(f);
        if (tokens != null) {
          cache.entries.add(new Entry(f, tokens));
        }
      }
    } catch (IOException e) {
      throw new ConfigurationException("Backend 'local': the prompt cache directory " + dir + " cannot be read: " + e
          + ".", "backend local", "prompt-cache", e);
    }
    return cache;
  }

  /** The token ids of the {@code n} most recently saved prefixes, newest first. */
  List<int[]> newest(int n) {
    List<Entry> copy;
    synchronized (this) {
      copy = new ArrayList<>(entries);
    }
    copy.sort((a, b) -> Long.compare(modified(b.file), modified(a.file)));
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < Math.min(n, copy.size()); i++) {
      out.add(copy.get(i).tokens.clone());
    }
    return out;
  }

  /** How many saved prefixes this model can use. */
  synchronized int size() {
    return entries.size();
  }

  /**
   * Restores into {@code session} the longest saved prefix of {@code prompt}, when it is longer
   * than what the session already holds of it.
   *
   * @return the tokens the session now shares with {@code prompt}
   */
  int restore(Session session, int[] prompt) {
    int have = session.commonPrefix(prompt);
    Entry best = null;
    int bestLength = have;
    synchronized (this) {
      for (Entry e : entries) {
        int n = commonPrefix(e.tokens, prompt);
        if (n > bestLength) {
          best = e;
          bestLength = n;
        }
      }
    }
    if (best == null || bestLength < MIN_TOKENS) {
      return have;
    }
    try (FileChannel ch = FileChannel.open(best.file, StandardOpenOption.READ)) {
      if (ch.size() != HEADER_BYTES + session.cacheBytes(best.tokens.length)) {
        throw new IOException("it holds " + ch.size() + " bytes where " + best.tokens.length + " tokens need "
            + (HEADER_BYTES + session.cacheBytes(best.tokens.length)));
      }
      ch.position(HEADER_BYTES + 4L * best.tokens.length);
      session.readCache(ch, best.tokens, bestLength, best.tokens.length);
      return bestLength;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "prompt cache file " + best.file + " is unusable (" + e + "); it is dropped and the"
          + " prompt evaluated instead");
      forget(best);
      session.truncate(0);
      return 0;
    }
  }

  /**
   * Saves the first {@code n} tokens of {@code session} unless a saved prefix already starts with
   * them; failures are logged, never thrown (the cache only saves work).
   */
  void save(Session session, int n) {
    if (n < MIN_TOKENS || n > session.length()) {
      return;
    }
    int[] tokens = Arrays.copyOf(session.tokens(), n);
    synchronized (this) {
      for (Entry e : entries) {
        if (commonPrefix(e.tokens, tokens) == n) {
          return;
        }
      }
    }
    Path file = dir.resolve(hex(fingerprint, 4) + "-" + hex(digest(tokens), 8) + SUFFIX);
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "saving-", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(VERSION).put(fingerprint).putInt(n);
        ((Buffer) header).flip();
        while (header.hasRemaining()) {
          ch.write(header);
        }
        session.writeCache(ch, n);
        ch.force(false);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      synchronized (this) {
        entries.add(new Entry(file, tokens));
      }
      evict();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not save " + n + " prompt tokens to the prompt cache in " + dir + ": " + e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // A leftover temporary file holds no secret and is not read as a cache file.
        }
      }
    }
  }

  /** Deletes the oldest cache files, of any model, until the directory fits its budget. */
  private void evict() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      all.forEach(files::add);
    }
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    files.sort(Comparator.comparingLong(PromptCache::modified));
    for (Path f : files) {
      if (total <= maxBytes) {
        break;
      }
      total -= Files.size(f);
      Files.deleteIfExists(f);
      synchronized (this) {
        entries.removeIf(e -> e.file.equals(f));
      }
    }
  }

  private static long modified(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return Long.MIN_VALUE;
    }
  }

  private synchronized void forget(Entry e) {
    entries.remove(e);
    try {
      Files.deleteIfExists(e.file);
    } catch (IOException ignored) {
      // Already reported as unusable; it stays out of the index.
    }
  }

  /** The ids of a cache file made for this model and context, or null for any other file. */
  private int[] readTokens(Path f) {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      if (!readFully(ch, header)) {
        return null;
      }
      byte[] magic = new byte[MAGIC.length];
      byte[] print = new byte[32];
      header.get(magic);
      int version = header.getInt();
      header.get(print);
      int n = header.getInt();
      if (!Arrays.equals(magic, MAGIC) || version != VERSION || !Arrays.equals(print, fingerprint)) {
        return null;
      }
      if (n < 1 || n > context) {
        LOG.warning("prompt cache file " + f + " claims " + n + " tokens; ignored");
        return null;
      }
      ByteBuffer ids = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      if (!readFully(ch, ids)) {
        LOG.warning("prompt cache file " + f + " ends inside its token ids; ignored");
        return null;
      }
      int[] tokens = new int[n];
      ids.asIntBuffer().get(tokens);
      return tokens;
    } catch (IOException e) {
      LOG.warning("prompt cache file " + f + " cannot be read (" + e + "); ignored");
      return null;
    }
  }

  private static boolean readFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        return false;
      }
    }
    ((Buffer) buf).flip();
    return true;
  }

  private static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    int i = 0;
    while (i < n && a[i] == b[i]) {
      i++;
    }
    return i;
  }

  private static byte[] fingerprint(Path model, int context) throws IOException {
    MessageDigest sha = sha256();
    try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(size).putInt(context)
          .putInt(VERSION);
      sha.update(head.array());
      ByteBuffer sample = ByteBuffer.allocate(SAMPLE_BYTES);
      for (long at : new long[] {0, Math.max(0, size / 2 - SAMPLE_BYTES / 2), Math.max(0, size - SAMPLE_BYTES)}) {
        ((Buffer) sample).clear();
        ch.position(at);
        while (sample.hasRemaining() && ch.read(sample) >= 0) {
          // Reads until the sample is full or the file ends.
        }
        sha.update(sample.array(), 0, sample.position());
      }
    }
    return sha.digest();
  }

  private static byte[] digest(int[] tokens) {
    MessageDigest sha = sha256();
    ByteBuffer b = ByteBuffer.allocate(4 * tokens.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int t : tokens) {
      b.putInt(t);
    }
    return sha.digest(b.array());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String hex(byte[] bytes, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(String.format("%02x", bytes[i] & 0xFF));
    }
    return sb.toString();
  }
}

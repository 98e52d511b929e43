package dev.banter.local;

import dev.banter.api.BackendUnavailableException;
import dev.banter.api.BanterException;
import dev.banter.api.ChatChunk;
import dev.banter.api.FinishReason;
import dev.banter.api.GenerationOptions;
import dev.banter.api.Timings;
import dev.banter.api.Usage;
import dev.banter.local.chat.ChatOutputParser;
import dev.banter.local.grammar.Grammar;
import dev.banter.local.grammar.GrammarMatcher;
import dev.banter.local.grammar.TokenIndex;
import dev.banter.local.model.Sampler;
import dev.banter.local.model.Session;
import dev.banter.spi.StopSequences;
import dev.banter.local.tokenizer.StreamingDecoder;
import dev.banter.local.tokenizer.Tokenizer;
import dev.banter.spi.ChatStreamEmitter;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One answer being generated on a backend thread: take a slot, evaluate only the prompt tokens
 * its cache does not already hold (in batches), then sample token by token, streaming text as it
 * becomes safe to show, until an end-of-generation token, a stop sequence, the token limit, a
 * full context or a cancel. The emitter always ends with usage and timings.
 *
 * <p>With a grammar (a JSON or GBNF response format) each sampled token is first checked against
 * it; only when it is refused are the logits masked to the allowed tokens and sampling repeated,
 * as llama.cpp does (temperature, top-k and the rest apply to the masked logits). End-of-generation
 * is allowed only where the grammar is complete. So that a cut-short answer still parses, once the
 * tokens left (the limit or the context) would no longer fit the shortest completion after the
 * next token, the generation spells that completion instead and ends with {@code LENGTH}.
 */
final class Generation implements Runnable {
  private static final Logger LOG = Logger.getLogger(Generation.class.getName());

  private final LocalBackend backend;
  private final ChatStreamEmitter out;
  private final int[] prompt;
  /** The leading prompt tokens to keep in the prompt cache (the system part), or 0. */
  private final int cachePrefix;
  private final GenerationOptions options;
  private final long startNanos;
  /** The response format's constraint, or null for free text. */
  private final Grammar grammar;
  /** Reads reasoning and tool calls out of the answer, or null for plain text. */
  private final ChatOutputParser parser;

  Generation(LocalBackend backend, ChatStreamEmitter out, int[] prompt, int cachePrefix, GenerationOptions options,
      long startNanos, Grammar grammar, ChatOutputParser parser) {
    this.backend = backend;
    this.out = out;
    this.prompt = prompt;
    this.cachePrefix = cachePrefix;
    this.options = options;
    this.startNanos = startNanos;
    this.grammar = grammar;
    this.parser = parser;
  }

  ChatStreamEmitter emitter() {
    return out;
  }

  @Override
  public void run() {
    backend.running().add(this);
    try {
      answer();
    } finally {
      backend.running().remove(this);
    }
  }

  private void answer() {
    if (out.isCancelled()) {
      end(new Outcome(FinishReason.CANCELLED, 0, 0, startNanos, startNanos, -1));
      return;
    }
    if (backend.isClosed()) {
      // Taken from the queue by a thread that finished its answer while close() was under way.
      out.fail(LocalBackend.closedBeforeStart());
      return;
    }
    Slots.Slot slot;
    try {
      slot = backend.slots().acquire(prompt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.fail(new BackendUnavailableException("interrupted while waiting for a free slot", LocalBackendProvider.ID,
          e));
      return;
    } catch (OutOfMemoryError e) {
      out.fail(new BackendUnavailableException("No memory for another KV cache of " + backend.contextLength()
          + " tokens; lower the 'slots' or 'context' setting, or give the JVM more heap (-Xmx)",
          LocalBackendProvider.ID, null));
      return;
    }
    Outcome outcome;
    try {
      outcome = generate(slot.session());
    } catch (BanterException e) {
      backend.slots().release(slot);
      out.fail(e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "local generation failed", e);
      backend.slots().release(slot);
      out.fail(new BanterException("The local engine failed while generating: " + e, LocalBackendProvider.ID, e));
      return;
    } catch (Error e) {
      // The caller still learns of the end (a stream left open would wait forever); the error goes
      // on to the thread, as errors should.
      backend.slots().release(slot);
      out.fail(new BanterException("The local engine failed while generating: " + e
          + (e instanceof OutOfMemoryError ? "; give the JVM more heap (-Xmx) or lower the 'context' setting" : ""),
          LocalBackendProvider.ID, e));
      throw e;
    }
    PromptCache cache = backend.promptCache();
    if (cache != null && cachePrefix > 0 && outcome.reason() != FinishReason.CANCELLED) {
      cache.save(slot.session(), Math.min(cachePrefix, slot.session().commonPrefix(prompt)));
    }
    // The slot is free before the caller learns the answer is complete, so that the next turn of
    // the conversation finds this slot's cache.
    backend.slots().release(slot);
    end(outcome);
  }

  /** Why and where a generation ended. */
  private record Outcome(FinishReason reason, int reused, int produced, long prefillStart, long prefillEnd,
      long firstToken) {}

  private Outcome generate(Session session) {
    // At least two prompt tokens are evaluated, so they take the batched path as they would in a
    // fresh evaluation (see Session.append): a request sent twice computes the same logits.
    PromptCache cache = backend.promptCache();
    int held = cache == null ? session.commonPrefix(prompt) : cache.restore(session, prompt);
    int reused = Math.max(0, Math.min(held, prompt.length - 2));
    session.truncate(reused);
    long prefillStart = System.nanoTime();
    float[] logits = new float[session.model().vocabSize()];
    PrefillBatcher prefills = backend.prefills();
    prefills.enter();
    try {
      for (int pos = reused; pos < prompt.length; ) {
        if (stopRequested()) {
          return new Outcome(FinishReason.CANCELLED, reused, 0, prefillStart, System.nanoTime(), -1);
        }
        int end = pos + session.passSize(prompt.length - pos);
        prefills.append(session, prompt, pos, end, end == prompt.length ? logits : null, pos == reused);
        backend.countEvaluated(end - pos);
        pos = end;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(FinishReason.CANCELLED, reused, 0, prefillStart, System.nanoTime(), -1);
    } finally {
      prefills.leave();
    }
    long prefillEnd = System.nanoTime();

    Tokenizer tokenizer = session.model().tokenizer();
    Sampler sampler = sampler(tokenizer.vocabSize());
    for (int t : prompt) {
      sampler.accept(t);
    }
    // A parser reads the markers of reasoning and tool calls, which are special tokens: rendered.
    StreamingDecoder decoder = tokenizer.newStreamingDecoder(parser != null);
    // SentencePiece vocabularies mark a word start with a space; the answer's first word does not
    // need one (llama.cpp's detokenizer drops it the same way). Under a grammar the text is exactly
    // what the grammar matched, so nothing is dropped.
    boolean stripLeadingSpace = tokenizer.model().equals("llama") && grammar == null;
    StopSequences stops = StopSequences.of(options.stop());
    int maxTokens = options.maxTokens().orElse(Integer.MAX_VALUE);
    LogprobRecorder logprobs = LogprobRecorder.of(options, tokenizer, parser != null);
    DecodeBatcher batcher = backend.batcher();
    float[] stepLogits = logits; // the prompt's logits are sampled before the first step overwrites them
    int produced = 0;
    long firstToken = -1;
    FinishReason reason;
    boolean atStart = true;
    GrammarMatcher matcher = grammar == null ? null : new GrammarMatcher(grammar, TokenIndex.of(tokenizer));
    int[] forced = null;
    int forcedNext = 0;
    batcher.enter();
    try {
      while (true) {
        if (stopRequested()) {
          reason = FinishReason.CANCELLED;
          break;
        }
        if (session.remaining() == 0) {
          reason = FinishReason.LENGTH;
          break;
        }
        int token = -1;
        if (matcher == null) {
          token = sampler.sample(logits);
        } else {
          int budget = (int) Math.min((long) maxTokens - produced, session.remaining());
          if (forced == null && matcher.completionTokens().length >= budget) {
            forced = matcher.completionTokens();
          }
          if (forced == null && logprobs != null && matcher.maskLogits(logits) == 0) {
            forced = matcher.completionTokens();
          }
          if (forced == null) {
            token = sampler.sample(logits);
            if (!matcher.allows(token)) {
              if (matcher.maskLogits(logits) == 0) {
                forced = matcher.completionTokens();
              } else {
                token = sampler.sample(logits);
              }
            }
            if (forced == null && !tokenizer.isEog(token) && matcher.completionLengthAfter(token) > budget - 1) {
              forced = matcher.completionTokens();
            }
          }
          if (forced != null && logprobs != null) {
            // The distribution the forced token's log probability is read from.
            sampler.sample(logits);
          }
          if (forced != null) {
            if (forcedNext >= forced.length) {
              reason = FinishReason.LENGTH;
              break;
            }
            token = forced[forcedNext++];
          }
          if (!tokenizer.isEog(token)) {
            matcher.accept(token);
          }
        }
        produced++;
        if (firstToken < 0) {
          firstToken = System.nanoTime();
        }
        if (tokenizer.isEog(token)) {
          reason = FinishReason.STOP;
          break;
        }
        if (logprobs != null) {
          logprobs.record(sampler, token);
        }
        sampler.accept(token);
        String piece = decoder.append(token);
        if (atStart && !piece.isEmpty()) {
          atStart = false;
          if (stripLeadingSpace && piece.charAt(0) == ' ') {
            piece = piece.substring(1);
          }
        }
        String text = stops.append(piece);
        if (!text.isEmpty() && !emit(text, logprobs)) {
          reason = FinishReason.CANCELLED;
          break;
        }
        if (parser != null && parser.callLimitReached()) {
          // parallel_tool_calls false: the model began a second call, and the answer ends at the first.
          reason = FinishReason.STOP;
          break;
        }
        if (stops.stopped()) {
          reason = FinishReason.STOP;
          break;
        }
        if (produced >= maxTokens) {
          reason = FinishReason.LENGTH;
          break;
        }
        if (!out.isWritable()) {
          out.awaitWritable();
        }
        try {
          logits = batcher.step(session, token, stepLogits);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          reason = FinishReason.CANCELLED;
          break;
        }
      }
    } finally {
      batcher.leave();
    }
    if (reason != FinishReason.CANCELLED && !stops.stopped()) {
      String tail = stops.append(decoder.finish());
      if (!stops.stopped()) {
        tail += stops.flush();
      }
      emit(tail, logprobs);
      if (parser != null) {
        for (ChatChunk c : parser.finish()) {
          out.emit(withLogprobs(c, logprobs));
        }
      }
    }
    return new Outcome(reason, reused, produced, prefillStart, prefillEnd, firstToken);
  }

  /**
   * Emits answer text, through the parser when there is one (which may hold it back until it
   * knows whether a marker begins); the pending log probabilities ride on the first chunk out.
   *
   * @return false when the stream was cancelled
   */
  private boolean emit(String text, LogprobRecorder logprobs) {
    if (parser == null) {
      return out.emit(withLogprobs(ChatChunk.ofText(text), logprobs));
    }
    for (ChatChunk c : parser.feed(text)) {
      if (!out.emit(withLogprobs(c, logprobs))) {
        return false;
      }
    }
    return true;
  }

  private static ChatChunk withLogprobs(ChatChunk chunk, LogprobRecorder logprobs) {
    return logprobs == null ? chunk : chunk.withLogprobs(logprobs.drain());
  }

  private boolean stopRequested() {
    return out.isCancelled() || backend.isClosed();
  }

  private void end(Outcome o) {
    long end = System.nanoTime();
    Usage usage = new Usage(prompt.length, o.produced(), o.reused(), 0);
    int evaluated = prompt.length - o.reused();
    OptionalDouble promptRate = o.prefillEnd() > o.prefillStart()
        ? OptionalDouble.of(evaluated / ((o.prefillEnd() - o.prefillStart()) / 1e9))
        : OptionalDouble.empty();
    OptionalDouble genRate = o.produced() > 1 && end > o.firstToken()
        ? OptionalDouble.of((o.produced() - 1) / ((end - o.firstToken()) / 1e9))
        : OptionalDouble.empty();
    Duration ttft = Duration.ofNanos(Math.max(0, (o.firstToken() < 0 ? end : o.firstToken()) - startNanos));
    Duration total = Duration.ofNanos(Math.max(0, end - startNanos));
    out.complete(o.reason(), usage, new Timings(ttft, total, promptRate, genRate));
  }

  private Sampler sampler(int vocab) {
    Sampler.Builder b = Sampler.builder();
    if (options.temperature().isPresent()) {
      b.temperature(options.temperature().getAsDouble());
    }
    if (options.topK().isPresent()) {
      b.topK(options.topK().getAsInt());
    }
    if (options.topP().isPresent()) {
      b.topP(options.topP().getAsDouble());
    }
    if (options.minP().isPresent()) {
      b.minP(options.minP().getAsDouble());
    }
    if (options.repetitionPenalty().isPresent()) {
      b.repetitionPenalty(options.repetitionPenalty().getAsDouble());
    }
    if (options.frequencyPenalty().isPresent()) {
      b.frequencyPenalty(options.frequencyPenalty().getAsDouble());
    }
    if (options.presencePenalty().isPresent()) {
      b.presencePenalty(options.presencePenalty().getAsDouble());
    }
    if (options.seed().isPresent()) {
      b.seed(options.seed().getAsLong());
    }
    return b.build(vocab);
  }
}

/**
 * Constrained decoding: grammars the local engine's output must follow. Start from
 * {@link dev.banter.local.grammar.Grammar} ({@code parse} for GBNF text, {@code fromJsonSchema},
 * {@code jsonObject}, or {@code builder()} to compose {@link dev.banter.local.grammar.Expr}s, e.g.
 * a literal tool-call prefix, a JSON schema and a suffix); match it with a
 * {@link dev.banter.local.grammar.GrammarMatcher} over a model's
 * {@link dev.banter.local.grammar.TokenIndex}, which masks logits, checks single tokens and spells
 * the shortest completion when the token budget runs out.
 *
 * <pre>{@code
 * GrammarMatcher m = new GrammarMatcher(Grammar.fromJsonSchema(schema), TokenIndex.of(tokenizer));
 * m.maskLogits(logits);
 * int t = sampler.sample(logits);
 * m.accept(t);
 * }</pre>
 */
package dev.banter.local.grammar;

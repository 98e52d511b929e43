/**
 * The local engine's developer tools behind {@code banter tokenize}, {@code eval},
 * {@code template render}, {@code bench} and {@code models make-bench}, as typed entry points:
 * settings in, a result out, no printing and no exit. Start from {@link dev.banter.cli.tools.Bench}
 * or {@link dev.banter.cli.tools.Eval}; the commands in {@code dev.banter.cli} turn the results
 * into the text and JSON the command lines print.
 */
package dev.banter.cli.tools;

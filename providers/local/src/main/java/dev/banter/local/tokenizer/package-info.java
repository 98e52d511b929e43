/**
 * Tokenizers that reproduce llama.cpp's tokens exactly, read from GGUF metadata.
 *
 * <p>Start with {@link dev.banter.local.tokenizer.Tokenizer#from(dev.banter.local.gguf.GgufFile)}:
 * {@code encode(text, addSpecial, parseSpecial)}, {@code decode(ids)}, {@code isEog(id)}, and
 * {@link dev.banter.local.tokenizer.StreamingDecoder} for generated tokens. SentencePiece
 * ({@code llama}) and byte-level BPE ({@code gpt2}) vocabularies are supported; the BPE
 * pre-tokenizer follows {@code tokenizer.ggml.pre}.
 */
package dev.banter.local.tokenizer;

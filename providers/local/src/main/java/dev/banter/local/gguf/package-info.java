/**
 * GGUF model files: {@link dev.banter.local.gguf.GgufFile} reads versions 2 and 3 (metadata of
 * every type, tensor infos, memory-mapped tensor data) and {@link dev.banter.local.gguf.GgufWriter}
 * writes version 3.
 *
 * <p>Start with {@code GgufFile.open(path)}: {@code metadata()} gives typed access to the keys
 * ({@link dev.banter.local.gguf.GgufMetadata}), {@code tensors()} / {@code tensor(name)} give
 * {@link dev.banter.local.gguf.GgufTensor}s whose {@code data()} is a read-only little-endian
 * buffer over the mapped file. Every malformed file fails with
 * {@link dev.banter.api.ModelLoadException} naming the file and byte offset.
 */
package dev.banter.local.gguf;

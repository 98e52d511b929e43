/**
 * The 7 MB demo model the samples default to. Start from
 * {@link dev.banter.samples.demo.DemoModel#path()}, which writes the bundled GGUF file to a cache
 * directory once and returns its path for the {@code local} backend's {@code model} setting.
 */
package dev.banter.samples.demo;

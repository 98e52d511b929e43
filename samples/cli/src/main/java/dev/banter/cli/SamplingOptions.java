package dev.banter.cli;

import dev.banter.api.GenerationOptions;
import picocli.CommandLine.Option;

/** How to sample answers, on top of the persona's and the backend's defaults. */
final class SamplingOptions {
  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature, 0 (greedy) to 2.")
  Double temperature;

  @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling cut-off, in (0, 1].")
  Double topP;

  @Option(names = "--max-tokens", paramLabel = "N", description = "The most tokens an answer may have.")
  Integer maxTokens;

  @Option(names = "--seed", paramLabel = "N", description = "Sampling seed, for repeatable answers.")
  Long seed;

  /**
   * The options set on the command line.
   *
   * @throws UsageException naming the option whose value is out of range
   */
  GenerationOptions toOptions() {
    GenerationOptions.Builder b = GenerationOptions.builder();
    String option = null;
    try {
      option = "--temperature";
      if (temperature != null) b.temperature(temperature);
      option = "--top-p";
      if (topP != null) b.topP(topP);
      option = "--max-tokens";
      if (maxTokens != null) b.maxTokens(maxTokens);
      option = "--seed";
      if (seed != null) b.seed(seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException("invalid " + option + ": " + e.getMessage());
    }
    return b.build();
  }
}

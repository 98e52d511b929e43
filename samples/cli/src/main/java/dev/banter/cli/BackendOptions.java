package dev.banter.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which backend and model to use: the options {@code chat} and {@code serve} share. */
final class BackendOptions {
  @Option(names = "--backend", paramLabel = "ID",
      description = "Backend: local (default), inference-server, xai, openai, or a plugin's id.")
  String backend;

  @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
      description = {"A GGUF file for the local backend, a model name for the others. Default for local: the "
          + "bundled demo model (a tiny fortune-cookie quipster)."})
  String model;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = {"A backend setting, repeatable: for local threads=4, context=2048, prompt-cache=DIR (system "
          + "prompts evaluated once, restored by later runs); for inference-server "
          + "base-url=http://gpu1:8000/v1; api-key=... for the remote ones."})
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--config", paramLabel = "FILE",
      description = "A Banter JSON configuration file (backend, settings, fallbacks, personas, resilience).")
  Path config;

  @Option(names = "--persona-file", paramLabel = "FILE",
      description = "A persona defined in a JSON file, repeatable.")
  List<Path> personaFiles = new ArrayList<>();
}

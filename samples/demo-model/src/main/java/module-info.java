/** The tiny fortune-cookie GGUF model the samples use when the user brings no model of their own. */
module dev.banter.samples.demo {
  requires dev.banter.api;

  exports dev.banter.samples.demo;
}

/**
 * Renders the Jinja chat templates GGUF models ship, as llama.cpp and Hugging Face do. Depends on
 * nothing but {@code java.base}; runs on Android.
 */
module dev.banter.template {
  exports dev.banter.template;
}

package dev.banter.core;

import dev.banter.api.ChatRequest;
import dev.banter.api.Exchange;
import dev.banter.api.Message;
import dev.banter.api.Persona;
import dev.banter.api.Role;
import dev.banter.api.StyleTraits;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a persona and a request into what a backend receives: one leading system message (the
 * persona's prompt, its style and refusal guidance, then any system text the request brought),
 * the persona's few-shot examples, the conversation, and the request's options layered over the
 * persona's defaults. For models with a small context window the rendering is compact: the
 * persona's short prompt (if it has one) without guidance or examples, so the conversation keeps
 * room.
 */
final class PersonaRenderer {
  private PersonaRenderer() {}

  /** Context windows below this many tokens get the compact rendering. */
  static final int COMPACT_BELOW = 1024;

  static ChatRequest render(Persona persona, ChatRequest request) {
    return render(persona, request, false);
  }

  static ChatRequest render(Persona persona, ChatRequest request, boolean compact) {
    List<Message> in = request.messages();
    int firstNonSystem = 0;
    StringBuilder extraSystem = new StringBuilder();
    while (firstNonSystem < in.size() && in.get(firstNonSystem).role() == Role.SYSTEM) {
      if (extraSystem.length() > 0) {
        extraSystem.append("\n\n");
      }
      extraSystem.append(in.get(firstNonSystem).content());
      firstNonSystem++;
    }
    List<Message> out = new ArrayList<>(in.size() + 1 + 2 * persona.examples().size());
    out.add(Message.system(compact ? compactPrompt(persona, extraSystem.toString())
        : systemPrompt(persona, extraSystem.toString())));
    if (!compact) {
      for (Exchange e : persona.examples()) {
        out.add(Message.user(e.user()));
        out.add(Message.assistant(e.assistant()));
      }
    }
    // The persona's part is the same in every conversation: worth a prompt cache's keeping.
    int personaPart = out.size();
    out.addAll(in.subList(firstNonSystem, in.size()));
    return withoutPersona(request, out, request.options().withDefaults(persona.defaults()), personaPart);
  }

  /** The request as it goes out when no persona applies: unchanged except that it names none. */
  static ChatRequest plain(ChatRequest request) {
    return withoutPersona(request, request.messages(), request.options(), request.cacheablePrefix());
  }

  static String systemPrompt(Persona persona, String extraSystem) {
    StringBuilder sb = new StringBuilder(persona.systemPrompt().trim());
    sb.append("\n\n").append(styleGuidance(persona.traits())).append(' ').append(refusalGuidance(persona));
    if (!extraSystem.trim().isEmpty()) {
      sb.append("\n\n").append(extraSystem.trim());
    }
    return sb.toString();
  }

  static String compactPrompt(Persona persona, String extraSystem) {
    String base = persona.shortSystemPrompt().trim().isEmpty() ? persona.systemPrompt() : persona.shortSystemPrompt();
    StringBuilder sb = new StringBuilder(base.trim());
    if (!extraSystem.trim().isEmpty()) {
      sb.append("\n\n").append(extraSystem.trim());
    }
    return sb.toString();
  }

  static String styleGuidance(StyleTraits t) {
    String humor = t.humor() < 0.2 ? "Do not joke."
        : t.humor() < 0.6 ? "A light touch of humour is welcome where it fits."
        : "Be funny: use wit, wordplay and playful irreverence freely, as long as the answer stays correct.";
    String candor = t.candor() < 0.35 ? "Be diplomatic and gentle."
        : t.candor() < 0.7 ? "Be honest and direct."
        : "Be blunt and candid; do not sugar-coat or hedge without reason.";
    String verbosity = t.verbosity() < 0.35 ? "Keep answers short: a few sentences at most."
        : t.verbosity() < 0.7 ? "Keep answers reasonably concise."
        : "Give thorough, detailed answers.";
    return humor + " " + candor + " " + verbosity;
  }

  static String refusalGuidance(Persona persona) {
    return switch (persona.refusalPosture()) {
      case CAUTIOUS -> "If a request is doubtful or could cause harm, decline briefly and politely.";
      case CANDID -> "Take on edgy, spicy or controversial questions head-on and with candour; refuse only what is"
          + " genuinely harmful.";
      default -> "Answer what is safe to answer; decline what is harmful and briefly say why.";
    };
  }

  private static ChatRequest withoutPersona(ChatRequest request, List<Message> messages,
      dev.banter.api.GenerationOptions options, int cacheablePrefix) {
    ChatRequest.Builder b = ChatRequest.builder()
        .messages(messages)
        .options(options)
        .tools(request.tools())
        .responseFormat(request.responseFormat())
        .cacheablePrefix(cacheablePrefix);
    request.model().ifPresent(b::model);
    request.toolChoice().ifPresent(b::toolChoice);
    request.parallelToolCalls().ifPresent(b::parallelToolCalls);
    return b.build();
  }
}

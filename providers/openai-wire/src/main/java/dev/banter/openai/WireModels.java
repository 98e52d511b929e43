package dev.banter.openai;

import java.util.List;

/**
 * {@code GET /v1/models}: a list of model cards. vLLM and SGLang add {@code max_model_len};
 * llama.cpp adds {@code meta.n_ctx_train}.
 */
final class WireModels {
  String object;
  List<Model> data;

  static final class Model {
    String id;
    String object;
    Long created;
    String ownedBy;
    Integer maxModelLen;
    Meta meta;
  }

  static final class Meta {
    Integer nCtxTrain;
  }
}

package io.hyperinfer.gateway;

import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.contract.infer.InferRequest;

/** Tokens to reserve at admission, before the processor counts them. Thread-safe. */
final class TokenEstimate {
  private TokenEstimate() {}

  /** About four characters per prompt token, one per message for its role, plus the answer's cap. */
  static long of(InferRequest request) {
    return (request.chars() + 3) / 4 + request.messages().size() + request.maxTokens();
  }

  /** About four characters per token plus two per input for its [CLS]/[SEP] markers. */
  static long of(EmbedRequest request) {
    return (request.chars() + 3) / 4 + 2L * request.inputs().size();
  }
}

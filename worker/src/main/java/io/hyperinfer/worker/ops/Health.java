package io.hyperinfer.worker.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code /healthz} answers: {@code ready} true gives 200, false 503; {@code body} is the JSON the worker
 * describes itself with (its state, its facilities' states). Immutable.
 */
public record Health(boolean ready, ObjectNode body) {
  public Health {
    body = body.deepCopy();
  }

  @Override
  public ObjectNode body() {
    return body.deepCopy();
  }
}

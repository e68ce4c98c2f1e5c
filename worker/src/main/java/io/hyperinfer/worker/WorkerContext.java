package io.hyperinfer.worker;

import java.util.Objects;

/**
 * Who a worker is: its type ("auth", "gateway"...), the environment its config was loaded for, and an instance id that
 * tells apart several workers of one type. Immutable.
 */
public record WorkerContext(String type, String env, String instanceId) {
  public WorkerContext {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(instanceId, "instanceId");
    if (type.isBlank() || env.isBlank() || instanceId.isBlank()) {
      throw new IllegalArgumentException("worker type, env and instance id must not be blank");
    }
  }

  /** "type/instanceId", the form used in log lines and thread names. */
  public String label() {
    return type + "/" + instanceId;
  }
}

package io.hyperinfer.dht;

import java.util.Objects;

/**
 * What an iterative query sends to each node it visits (JS {@code {target, command, value}}). Arrays are not copied.
 *
 * @param target the 32-byte key the query walks towards
 * @param command an external command number
 * @param value the payload sent to every node, or null
 */
public record QueryRequest(byte[] target, long command, byte[] value) {
  public QueryRequest {
    Objects.requireNonNull(target, "target");
    if (target.length != 32) {
      throw new IllegalArgumentException("target must be 32 bytes");
    }
    if (command < 0) {
      throw new IllegalArgumentException("command must be >= 0");
    }
  }
}

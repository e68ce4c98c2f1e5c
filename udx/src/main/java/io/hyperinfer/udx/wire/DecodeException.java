package io.hyperinfer.udx.wire;

/**
 * A datagram that is not a well-formed UDX packet. Thrown per packet on the receive path, so it carries no stack
 * trace; the loop drops the packet and counts it.
 */
public final class DecodeException extends Exception {
  /** Why the bytes were rejected. */
  public enum Reason {
    TRUNCATED,
    NOT_UDX,
    BAD_DATA_OFFSET
  }

  private final Reason reason;

  public DecodeException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

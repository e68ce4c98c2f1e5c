package io.hyperinfer.swarm;

/** The swarm module's one unchecked exception; {@link Code} mirrors hyperswarm's error messages. */
public final class SwarmException extends RuntimeException {
  /** What went wrong. */
  public enum Code {
    /** JS {@code 'Swarm has been destroyed'}: the swarm is closed. */
    DESTROYED,
    /** JS {@code 'Topic is required and must be a 32-byte buffer'}. */
    BAD_TOPIC,
    /** A public key that is not 32 bytes. */
    BAD_KEY,
    /** JS {@code 'Duplicate connection'}: the other connection of the pair survived. */
    DUPLICATE,
    /** JS {@code 'Peer is firewalled'}: the firewall rejected the peer's proven key, which is now banned. */
    FIREWALLED,
    /** A join session asked to be neither server nor client. */
    BAD_ARGUMENT,
    /** The swarm was suspended: its connections end and none is accepted until it resumes. */
    SUSPENDED,
    /** A dial in flight to a peer nothing wants any more (no explicit join, no joined topic) was aborted. */
    ABANDONED
  }

  private final Code code;

  public SwarmException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  @Override
  public String toString() {
    return "SwarmException[" + code + "]: " + getMessage();
  }
}

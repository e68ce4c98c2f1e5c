package io.hyperinfer.hyperdht;

/**
 * The numeric error codes HyperDHT puts on the wire ({@code lib/constants.js ERROR}): 0..3 inside Noise and holepunch
 * payloads, 16 and 17 as dht-rpc response errors to MUTABLE_PUT. Kept as constants because payloads carry raw uints.
 */
public final class PeerError {
  /** No error. */
  public static final long NONE = 0;
  /** The sender gave up (the server: the client sent no UDX info; either side: a failed punch). */
  public static final long ABORTED = 1;
  /** The payload's layout version is not 1. */
  public static final long VERSION_MISMATCH = 2;
  /** A random punch is already running; try again in 10 to 20 s. */
  public static final long TRY_LATER = 3;
  /** MUTABLE_PUT: the same seq is stored with a different value. */
  public static final long SEQ_REUSED = 16;
  /** MUTABLE_PUT: a higher seq is stored. */
  public static final long SEQ_TOO_LOW = 17;

  private PeerError() {}
}

package io.hyperinfer.protomux.internal;

import io.hyperinfer.protomux.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel the peer opened, by the peer's id. Until a local channel pairs with it, its messages are kept in
 * {@link #pending}. Confined to the mux lock.
 */
public final class RemoteSlot {
  /** One message that arrived before the local channel opened. */
  public record Pending(long type, byte[] payload) {}

  public byte[] handshake;
  public List<Pending> pending;
  public Channel session;

  public RemoteSlot(byte[] handshake, boolean buffering) {
    this.handshake = handshake;
    this.pending = buffering ? new ArrayList<>() : null;
  }
}

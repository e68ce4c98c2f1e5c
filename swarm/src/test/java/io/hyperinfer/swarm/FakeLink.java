package io.hyperinfer.swarm;

/** A connection as the core sees it, driven by the test. */
final class FakeLink implements Link {
  final PeerKey remote;
  final boolean initiator;
  boolean exchanged;
  boolean needsRelay;
  SwarmException destroyedWith;
  int keepAlives;

  FakeLink(PeerKey remote, boolean initiator) {
    this.remote = remote;
    this.initiator = initiator;
  }

  @Override
  public PeerKey remoteKey() {
    return remote;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public boolean needsRelay() {
    return needsRelay;
  }

  @Override
  public boolean exchangedBytes() {
    return exchanged;
  }

  @Override
  public void sendKeepAlive() {
    keepAlives++;
  }

  @Override
  public void destroy(SwarmException reason) {
    destroyedWith = reason;
  }

  boolean destroyed() {
    return destroyedWith != null;
  }
}

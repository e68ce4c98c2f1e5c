package io.hyperinfer.hyperdht;

import io.hyperinfer.udx.Firewall;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UDX streams this node opened for connections ({@code lib/raw-stream-set.js}): each is counted from its creation
 * until it closes, so a test can prove that failed connects and dropped handshakes leave none behind, and
 * {@link #destroyAll()} tears them down with the node. Thread-safe.
 */
final class RawStreams {
  private final Udx udx;
  private final Set<UdxStream> open = ConcurrentHashMap.newKeySet();

  RawStreams(Udx udx) {
    this.udx = udx;
  }

  /** A new stream with a fresh id that accepts packets from elsewhere as {@code firewall} says. */
  UdxStream create(Firewall firewall) {
    UdxStream stream = udx.createStream().firewall(firewall);
    open.add(stream);
    stream.closed().whenComplete((v, e) -> open.remove(stream));
    return stream;
  }

  /** Streams created and not yet closed. */
  int size() {
    return open.size();
  }

  /** Destroys every stream still open. */
  void destroyAll() {
    for (UdxStream s : open) {
      s.destroy();
    }
  }
}

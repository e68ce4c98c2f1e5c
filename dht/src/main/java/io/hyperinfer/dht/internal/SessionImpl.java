package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * A group of requests cancelled together (dht-rpc {@code lib/session.js}). Attach and detach are O(1) through each
 * request's index. Loop-confined except {@link #destroy}, which hops onto the loop (or runs on its caller once the
 * loop stopped).
 */
final class SessionImpl implements Session {
  private final NodeCore node;
  private final List<OutgoingRequest> inflight = new ArrayList<>();

  SessionImpl(NodeCore node) {
    this.node = node;
  }

  void attach(OutgoingRequest req) {
    req.session = this;
    req.sessionIndex = inflight.size();
    inflight.add(req);
  }

  void detach(OutgoingRequest req) {
    int i = req.sessionIndex;
    if (i < 0) {
      return;
    }
    req.sessionIndex = -1;
    OutgoingRequest last = inflight.removeLast();
    if (last != req) {
      inflight.set(i, last);
      last.sessionIndex = i;
    }
  }

  /** Fails the requests in flight; on the caller once the loop has stopped, so they are failed all the same. */
  @Override
  public void destroy() {
    node.onLoopOrHere(this::destroyNow);
  }

  void destroyNow() {
    while (!inflight.isEmpty()) {
      OutgoingRequest req = inflight.getLast();
      detach(req);
      req.destroy(DhtException.requestDestroyed());
    }
  }
}

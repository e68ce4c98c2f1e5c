package io.hyperinfer.worker.net;

/** Hears that a peer this worker talked to is gone (crashed, stopped, partitioned). */
@FunctionalInterface
public interface ConnectionListener {
  void onConnectionLost(PeerRef peer);
}

package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcServer;
import io.hyperinfer.rpc.RpcSession;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Our end of a shared RPC connection, in memory, whose peer finished the secret-stream handshake but never opens its
 * RPC channel: from our side, a peer whose open is still on the way (it may already serve our calls), or one that will
 * close the connection unused (the loser of a deduplication). Our session is set up, never opened. Test thread.
 */
record HalfOpenConnection(RpcClient client, RpcSession session, SecretStream peer, KeyPair peerKeys) {
  static HalfOpenConnection start() throws Exception {
    KeyPair theirs = Ed25519.fromSeed(filled(9));
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream peer = SecretStream.builder(raw[1], false).keyPair(theirs).start();
    RpcClient client = new RpcServer().share(SecretStream.builder(raw[0], true).keyPair(Ed25519.fromSeed(filled(3)))
        .start());
    return new HalfOpenConnection(client, client.connection().session().get(5, TimeUnit.SECONDS), peer, theirs);
  }

  private static byte[] filled(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return seed;
  }

  /** What our idle timeout does when nothing came from the peer for that long (it crashed, say). */
  void timeOut() {
    client.connection().stream().destroy(new SecretStreamException(SecretStreamException.Code.TIMEOUT,
        "Stream timed out"));
    peer.destroy();
  }

  /** The peer closes the connection it never used. */
  void peerCloses() {
    peer.destroy();
  }

  /** Waits until our session has closed. */
  void awaitClosed() throws Exception {
    session.closed().get(5, TimeUnit.SECONDS);
  }
}

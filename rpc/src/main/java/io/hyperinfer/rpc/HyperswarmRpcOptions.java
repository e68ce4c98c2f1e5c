package io.hyperinfer.rpc;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.ConnectOptions;
import java.time.Duration;

/**
 * How a {@link HyperswarmRpc} runs (@hyperswarm/rpc {@code new RPC(opts)}). All {@code with…} methods return a copy.
 *
 * @param keyPair the key of our servers <em>and</em> of our outgoing connections, so a server's firewall sees the same
 *     key whichever way we talk to it (null: the DHT's default key pair; @hyperswarm/rpc with a given DHT uses the
 *     DHT's key for connects and its own for servers)
 * @param namespace the capability namespace (@hyperswarm/rpc {@code namespace}, default hyperswarm-capability's)
 * @param capability the capability key our pooled clients prove (@hyperswarm/rpc request option {@code capability};
 *     default none)
 * @param poolLinger how long a pooled client stays after its last call (@hyperswarm/rpc {@code poolLinger}, 10 s)
 * @param connect how pooled clients connect (deadline, relays, keepalive; the key pair is always {@code keyPair})
 */
public record HyperswarmRpcOptions(KeyPair keyPair, Capability namespace, byte[] capability, Duration poolLinger,
    ConnectOptions connect) {
  /** @hyperswarm/rpc's defaults. */
  public static final HyperswarmRpcOptions DEFAULT = new HyperswarmRpcOptions(null, new Capability(), null,
      RpcClientPool.DEFAULT_LINGER, ConnectOptions.DEFAULT);

  /** Checks the parts. */
  public HyperswarmRpcOptions {
    if (namespace == null || poolLinger == null || poolLinger.isNegative() || connect == null) {
      throw new IllegalArgumentException("namespace, linger and connect options are required");
    }
    capability = capability == null ? null : capability.clone();
  }

  public HyperswarmRpcOptions withKeyPair(KeyPair k) {
    return new HyperswarmRpcOptions(k, namespace, capability, poolLinger, connect);
  }

  public HyperswarmRpcOptions withNamespace(Capability n) {
    return new HyperswarmRpcOptions(keyPair, n, capability, poolLinger, connect);
  }

  public HyperswarmRpcOptions withCapability(byte[] key) {
    return new HyperswarmRpcOptions(keyPair, namespace, key, poolLinger, connect);
  }

  public HyperswarmRpcOptions withPoolLinger(Duration d) {
    return new HyperswarmRpcOptions(keyPair, namespace, capability, d, connect);
  }

  public HyperswarmRpcOptions withConnect(ConnectOptions c) {
    return new HyperswarmRpcOptions(keyPair, namespace, capability, poolLinger, c);
  }
}

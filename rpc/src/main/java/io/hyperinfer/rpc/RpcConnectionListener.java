package io.hyperinfer.rpc;

/**
 * Hears of a {@link HyperswarmRpc}'s connections by remote key: those its servers accepted ({@code inbound}) and those
 * its pooled clients opened. Called off the connection's reading thread; must not block for long.
 */
public interface RpcConnectionListener {
  /**
   * The connection under a channel that just opened, before {@link #onOpen}: for settings of its stream, such as an
   * idle timeout ({@code connection.stream().setTimeout}).
   */
  default void onConnected(RpcConnection connection, boolean inbound) {}

  /** An RPC channel opened with {@code remotePublicKey} (proven by the connection's Noise handshake). */
  default void onOpen(byte[] remotePublicKey, RpcSession session, boolean inbound) {}

  /** The RPC channel with {@code remotePublicKey} closed (the connection was lost or ended). */
  default void onClose(byte[] remotePublicKey, RpcSession session, boolean inbound) {}
}

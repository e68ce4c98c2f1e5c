package io.hyperinfer.protomux;

/** Channel life-cycle callbacks. Called with the mux lock held, so they must not block. */
public interface ChannelListener {

  /** Both opens have been exchanged; {@code remoteHandshake} is the bytes after the id in the peer's open. */
  default void onOpen(Channel channel, byte[] remoteHandshake) {}

  /** The channel closed; {@code byRemote} is true when the peer (or the stream) closed it. */
  default void onClose(Channel channel, boolean byRemote) {}

  /** The transport drained after it reported fullness. */
  default void onDrain(Channel channel) {}
}

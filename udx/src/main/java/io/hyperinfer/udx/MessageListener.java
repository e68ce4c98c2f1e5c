package io.hyperinfer.udx;

/** Receives a stream's unreliable MESSAGE datagrams on the socket's loop thread: do not block. */
@FunctionalInterface
public interface MessageListener {
  void onMessage(UdxStream stream, byte[] message);
}
